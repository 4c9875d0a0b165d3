import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { badInput } from "../../errors.ts";

/**
 * E.164 ("+8801234567890"). Digits without "+" are read as international numbers, the way
 * Rapiwa's users write them. Checked for a plausible length per country, not against carrier
 * ranges, which go stale.
 */
export function normalizePhoneNumber(input: string, field: string): string {
  const compact = input.replace(/[\s().-]/g, "");
  if (!/^\+?[0-9]{6,15}$/.test(compact)) {
    throw badInput(field, `"${input.slice(0, 40)}" is not a phone number: use international format, e.g. +8801712345678.`);
  }
  const parsed = parsePhoneNumberFromString(compact.startsWith("+") ? compact : `+${compact}`);
  if (!parsed?.isPossible()) {
    throw badInput(field, `${input.slice(0, 40)} is not a possible phone number (check the country code and length).`);
  }
  return parsed.number;
}
