import type { RemoteProtocol } from '../remote-protocol.js';
import { info, list, migrate, remove } from './manage.js';
import { pull, push } from './sync.js';

/** The legacy protocol of open2fa 1.x (`/api/v1/totps`), chosen by `OPEN2FA_PROTOCOL=v1`. */
export const protocol: RemoteProtocol = { push, pull, list, info, delete: remove, migrate };
