import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";

/** The name a breaking change is listed under in CHANGELOG.md: its schema path (`Usage.planPrice`). */
export const changeKey = (change: Change): string => change.path ?? change.type;

export type Comparison = {
  breaking: Change[];
  dangerous: Change[];
  /** Breaking changes whose path CHANGELOG.md does not list. */
  unlisted: Change[];
};

const schemaOf = (sdl: string | null): GraphQLSchema | null => (sdl === null ? null : buildSchema(sdl));

/** The changes from `oldSdl` to `newSdl` (null: no schema) that clients can notice, per @graphql-inspector/core. */
export async function compareSchemas(oldSdl: string | null, newSdl: string | null, listed: ReadonlySet<string>): Promise<Comparison> {
  const changes = await diff(schemaOf(oldSdl), schemaOf(newSdl));
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  return {
    breaking,
    dangerous: changes.filter((change) => change.criticality.level === CriticalityLevel.Dangerous),
    unlisted: breaking.filter((change) => !listed.has(changeKey(change))),
  };
}

export const REMOVAL_DATE = /Removal on (\d{4}-\d{2}-\d{2})\b/;

/**
 * Coordinates of what is deprecated without a removal date in its reason (`Removal on YYYY-MM-DD`):
 * fields, their arguments, input fields and enum values.
 */
export function deprecationsWithoutRemovalDate(sdl: string): string[] {
  const schema = buildSchema(sdl);
  const found: string[] = [];
  const check = (coordinate: string, reason: string | null | undefined) => {
    if (reason !== null && reason !== undefined && !REMOVAL_DATE.test(reason)) found.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of field.args) check(`${type.name}.${field.name}.${arg.name}`, arg.deprecationReason);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.deprecationReason);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.deprecationReason);
    }
  }
  return found;
}
