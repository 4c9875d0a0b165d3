const NUMBER = new Intl.NumberFormat("en-US");
export const formatCount = (value: number) => NUMBER.format(value);

/** Money as the API gives it (exact decimal string): formatted without going through a float's rounding for display. */
export function formatMoney({ amount, currencyCode }: { amount: string; currencyCode: string }) {
  const [whole, cents = "00"] = amount.replace("-", "").split(".");
  const sign = amount.startsWith("-") ? "-" : "";
  const symbol = currencyCode === "USD" ? "$" : `${currencyCode} `;
  return `${sign}${symbol}${NUMBER.format(Number(whole))}.${cents.padEnd(2, "0")}`;
}

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
export const formatMonth = (month: string) => MONTH.format(new Date(`${month}-01T00:00:00Z`));

export const TIER_LABEL: Record<string, string> = { STARTER: "Starter", GROWTH: "Growth", SCALE: "Scale" };
