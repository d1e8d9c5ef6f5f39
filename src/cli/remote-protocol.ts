import type { CommandContext } from './command-context.js';
import { resolveProtocol, type Protocol } from './cli-config.js';

/**
 * The wire protocol of `remote` commands: v2 (docs/protocol.md) by default; `OPEN2FA_PROTOCOL=v1`
 * keeps the legacy format that open2fa 1.x clients read.
 */
export function remoteProtocol(context: CommandContext): Protocol {
  return resolveProtocol(context.deps.env);
}
