// A call's abuse limits as data: each one an environment variable with its range and its two defaults, so
// that a call declares its limits in its own folder (`<call>/limits.ts`) and configuration reads every
// call's the same way. Pure: no environment, no imports.

/** One limit: the LIMIT_* variable that sets it, its largest value, and its default in each column. */
export interface LimitSetting {
  readonly variable: string;
  /** Largest accepted value; 0 is always accepted and turns the limit off. */
  readonly max: number;
  /** Default everywhere but in local mode. */
  readonly production: number;
  /** Default in local mode (the embedded stand-in), where a developer runs the flow again and again. */
  readonly development: number;
  /** An older name that stands for `variable` when that is unset; start-up warns when it is set. */
  readonly deprecatedName?: string;
}

/** A call's limits, by the name its limit rules read them with. */
export type LimitSettings = Readonly<Record<string, LimitSetting>>;

/** The values configuration settled on for a call's limits. */
export type LimitValues<S extends LimitSettings> = { readonly [K in keyof S]: number };

/** Which default applies to a variable left unset. */
export type LimitColumn = 'production' | 'development';

/** What configuration needs of a call to read its limits: its name and its settings. */
export interface CallLimits {
  readonly action: string;
  /**
   * The name configuration keeps the limits under, when it is not the action's: calls that share one set of
   * limits (the sign-in codes that signIn and respondToSignInChallenge send) share it.
   */
  readonly limitsName?: string;
  readonly limits: LimitSettings;
}

/** The name configuration keeps a call's limits under. */
export function limitsNameOf(call: CallLimits): string {
  return call.limitsName ?? call.action;
}

/** Largest value of an hourly cap. */
export const MAX_PER_HOUR = 1_000_000;
/** Largest cooldown: a day. */
export const MAX_COOLDOWN_SECONDS = 86_400;

/** Every variable name a setting answers to: its own, then its deprecated one. */
export function settingVariables(setting: LimitSetting): string[] {
  return setting.deprecatedName === undefined
    ? [setting.variable]
    : [setting.variable, setting.deprecatedName];
}

/**
 * Pure: each setting's value: its variable when set, else its deprecated name when set, else the column's
 * default. `readVariable` answers a variable's validated value, or undefined when it is unset.
 */
export function limitValues<S extends LimitSettings>(
  settings: S,
  readVariable: (variable: string) => number | undefined,
  column: LimitColumn,
): LimitValues<S> {
  const values: Record<string, number> = {};
  for (const [name, setting] of Object.entries(settings)) {
    const set = settingVariables(setting)
      .map(readVariable)
      .find((v) => v !== undefined);
    values[name] = set ?? setting[column];
  }
  return values as LimitValues<S>;
}
