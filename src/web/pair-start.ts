import { isPairFragment, takePairFragment, type PairCredentials } from './pair-link.js';

// Imported first by `main.ts`: the pairing fragment leaves the address bar and the history before any
// other module of the page runs.
const wasPairLink = isPairFragment(location.hash);

export const pairing: PairCredentials | null = takePairFragment();
/** The address was a pairing link that held no valid credentials (it was removed all the same). */
export const pairingMalformed: boolean = wasPairLink && pairing === null;
