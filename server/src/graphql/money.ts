import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { Field, ObjectType } from "type-graphql";

const DECIMAL = /^-?\d+(\.\d+)?$/;

function decimalFrom(value: unknown, what: string): string {
  // Strings only: a JSON number is a binary float on most clients, the rounding this type exists to avoid.
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw new GraphQLError(`${what} must be a decimal number written as a string, e.g. "29.00".`);
  }
  return value;
}

/**
 * graphql-scalars has no decimal type (its `USCurrency` is a "$1.00" display string, `BigInt` has no
 * fraction), so this small one: exact decimals as strings, in and out.
 */
export const Decimal = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description:
    'An exact decimal number, written as a string so that no client reads it as a binary float: an optional minus sign, digits, and optionally a point and more digits ("29.00", "-0.5", "1200"). Parse it with a decimal library or as integer minor units, never as a float.',
  serialize: (value) => decimalFrom(value, "Decimal"),
  parseValue: (value) => decimalFrom(value, "Decimal"),
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError('Decimal must be a string literal, e.g. "29.00".', { nodes: node });
    return decimalFrom(node.value, "Decimal");
  },
});

@ObjectType({ description: "An amount of money in one currency." })
export class Money {
  @Field(() => Decimal, {
    description: 'The amount in the currency\'s major unit, exact, with as many decimals as the currency has ("29.00" is 29 US dollars).',
  })
  amount!: string;

  @Field(() => String, { description: 'The ISO 4217 code of the currency, e.g. "USD".' })
  currencyCode!: string;
}
