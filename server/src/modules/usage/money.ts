/** An amount as the API gives it (the GraphQL `Money` type): exact decimal string and currency. */
export type Money = { amount: string; currencyCode: string };

/** US dollars from integer cents. Bills are counted in whole cents, never in floats. */
export function usdFromCents(cents: number): Money {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`);
  const digits = String(Math.abs(cents)).padStart(3, "0");
  return { amount: `${cents < 0 ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`, currencyCode: "USD" };
}
