import { readFile } from "node:fs/promises";
import path from "node:path";
import internals from "@prisma/internals";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/config.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: [string, string[]] | null;
};
type DmmfModel = { name: string; dbName?: string | null; fields: DmmfField[] };
type Column = { table: string; column: string; udt: string; nullable: boolean };

/** Postgres `udt_name` a Prisma field may be stored as (arrays are `_<element>`). */
function expectedUdt(field: DmmfField, enumNames: Set<string>): string[] {
  const native = field.nativeType?.[0];
  const byNative: Record<string, string> = { Uuid: "uuid", VarChar: "varchar", Timestamptz: "timestamptz", Date: "date", Text: "text" };
  const byType: Record<string, string> = {
    String: "text",
    Int: "int4",
    BigInt: "int8",
    Boolean: "bool",
    DateTime: "timestamp",
    Json: "jsonb",
    Float: "float8",
    Decimal: "numeric",
    Bytes: "bytea",
  };
  const base = enumNames.has(field.type) ? field.type : native ? byNative[native] : byType[field.type];
  if (!base) throw new Error(`No known column type for ${field.name}: ${field.type} ${native ?? ""}`);
  return [field.isList ? `_${base}` : base];
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("schema.prisma and the migrated database", () => {
  it("agree on every model's table and every field's column, type and nullability", async () => {
    const datamodel = await readFile(path.join(repoRoot, "prisma/schema.prisma"), "utf8");
    const dmmf = await internals.getDMMF({ datamodel });
    const models = dmmf.datamodel.models as unknown as DmmfModel[];
    const enumNames = new Set(dmmf.datamodel.enums.map((entry) => entry.dbName ?? entry.name));

    const { rows } = await database.ownerPool.query<Column>(
      `SELECT table_name AS table, column_name AS column, udt_name AS udt, is_nullable = 'YES' AS nullable
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const columns = new Map(rows.map((row) => [`${row.table}.${row.column}`, row]));

    const expected: Column[] = [];
    const actual: (Column | undefined)[] = [];
    for (const model of models) {
      for (const field of model.fields.filter((candidate) => candidate.kind === "scalar" || candidate.kind === "enum")) {
        const table = model.dbName ?? model.name;
        const column = field.dbName ?? field.name;
        const found = columns.get(`${table}.${column}`);
        const [udt] = expectedUdt(field, enumNames);
        expected.push({ table, column, udt: udt!, nullable: !field.isRequired && !field.isList });
        actual.push(found && { ...found, nullable: found.nullable && !field.isList });
      }
    }
    expect(actual).toEqual(expected);
    expect(expected.length).toBeGreaterThan(50);
  });

  it("has no table the schema does not know about", async () => {
    const datamodel = await readFile(path.join(repoRoot, "prisma/schema.prisma"), "utf8");
    const dmmf = await internals.getDMMF({ datamodel });
    const modelTables = dmmf.datamodel.models.map((model) => model.dbName ?? model.name).sort();
    const { rows } = await database.ownerPool.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename",
    );
    expect(rows.map((row) => row.tablename)).toEqual(modelTables);
  });
});
