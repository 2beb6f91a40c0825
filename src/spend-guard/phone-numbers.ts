// libphonenumber with its full number metadata (about half a megabyte of code), loaded by the first phone
// number the gateway reads, or by a country list in the configuration: a request that carries no phone number,
// and a process that never meets one, never pay for loading it.
import type * as Libphonenumber from 'libphonenumber-js/max';

let library: typeof Libphonenumber | undefined;

function libphonenumber(): typeof Libphonenumber {
  library ??= require('libphonenumber-js/max') as typeof Libphonenumber;
  return library;
}

/** The number libphonenumber reads in `text` (with its full metadata), or undefined when it reads none. */
export function parsePhoneNumber(text: string): Libphonenumber.PhoneNumber | undefined {
  return libphonenumber().parsePhoneNumberFromString(text);
}

let countries: ReadonlySet<string> | undefined;

/** Every ISO 3166 alpha-2 code the number metadata knows, for validating the country lists. */
export function phoneCountries(): ReadonlySet<string> {
  countries ??= new Set(libphonenumber().getCountries());
  return countries;
}
