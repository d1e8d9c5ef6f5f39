// The page's writes, loaded lazily by actions/index.ts (one chunk with the v2 write path they share).
export { add } from './add-action.js';
export { addEntries } from './add-entries-action.js';
export { nextCode } from './next-code-action.js';
export { remove } from './remove-action.js';
export { rename } from './rename-action.js';
