import type { RemoteProtocol } from '../remote-protocol.js';
import { info, list, migrate, remove } from './manage.js';
import { pull, push } from './sync.js';

/** Protocol v2 (docs/protocol.md): items with revisions, merged on both sides; the default. */
export const protocol: RemoteProtocol = { push, pull, list, info, delete: remove, migrate };
