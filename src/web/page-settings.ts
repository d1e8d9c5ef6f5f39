import { DEFAULT_SETTINGS, type PageSettings } from './app-state.js';

const SETTINGS_KEY = 'open2fa.settings';

/** The settings of this device; junk or disabled storage gives the defaults. */
export function loadSettings(storage: Storage | null = safeStorage()): PageSettings {
  try {
    const value = JSON.parse(storage?.getItem(SETTINGS_KEY) ?? 'null') as unknown;
    if (typeof value !== 'object' || value === null) return DEFAULT_SETTINGS;
    const { hideCodes, idleMinutes, lockWhenHidden } = value as Record<string, unknown>;
    return {
      hideCodes: typeof hideCodes === 'boolean' ? hideCodes : DEFAULT_SETTINGS.hideCodes,
      idleMinutes:
        typeof idleMinutes === 'number' && Number.isInteger(idleMinutes) && idleMinutes >= 0 && idleMinutes <= 240
          ? idleMinutes
          : DEFAULT_SETTINGS.idleMinutes,
      lockWhenHidden: typeof lockWhenHidden === 'boolean' ? lockWhenHidden : DEFAULT_SETTINGS.lockWhenHidden,
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(settings: PageSettings, storage: Storage | null = safeStorage()): void {
  try {
    storage?.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // A setting that cannot be kept still applies to this visit.
  }
}

export function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}
