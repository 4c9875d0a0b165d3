import path from "node:path";
import type pg from "pg";
import { repoRoot } from "../config.ts";

/** The committed, printed database schema (`npm run schema:sql -w server` rewrites it). */
export const schemaSqlFile = path.join(repoRoot, "prisma/schema.sql");

/**
 * The migrated database as PostgreSQL itself describes it: enum types, tables with their columns,
 * constraints, indexes, triggers, row-level security and policies, the functions (their current
 * bodies, `pg_get_functiondef`), owners and grants. Read from the catalogs rather than with pg_dump,
 * whose output (and version) follows the server's: this prints the same bytes on PostgreSQL 15 and
 * 18, for any database name, whoever ran the migrations. Objects of extensions and Prisma's
 * `_prisma_migrations` bookkeeping are left out; so are roles, which belong to the cluster.
 */
export async function printDatabaseSchema(client: pg.ClientBase, schema = "public"): Promise<string> {
  const query = async <Row extends object>(sql: string, values: unknown[] = [schema]) => (await client.query<Row>(sql, values)).rows;
  // Names print unqualified where this schema is on the search path, so fix the path.
  await client.query(`SELECT set_config('search_path', $1, false)`, [schema]);
  // Whoever ran the migrations (and so made their bookkeeping table) owns most objects; only
  // other owners, the NOLOGIN roles of the SECURITY DEFINER functions, are printed.
  const [bookkeeping] = await query<{ migrator: string }>(
    `SELECT c.relowner::regrole::text AS migrator FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = '_prisma_migrations'`,
  );
  if (!bookkeeping) throw new Error(`No _prisma_migrations table in schema ${schema}: is the database migrated?`);
  const owner = (role: string) => (role === bookkeeping.migrator ? null : role);
  // Objects created by CREATE EXTENSION (pg_trgm's functions and operators) are not ours to print.
  const notInExtension = (classTable: string, oid: string) =>
    `NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = '${classTable}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

  const out: string[] = [
    "-- The migrated database's schema as PostgreSQL describes it, printed from its catalogs by",
    "-- `npm run schema:sql -w server` (server/src/db/schema-sql.ts). Generated: do not edit; a test fails",
    "-- when it is stale. The migrations in prisma/migrations/ are what runs; this is for reading.",
    "",
  ];
  const section = (title: string) => out.push(`-- ${"=".repeat(96)}`, `-- ${title}`, `-- ${"=".repeat(96)}`, "");

  /** GRANTs from an ACL, leaving out the owner's own rights; returns who was granted something. */
  async function grants(acl: string, objectOwner: string, on: string, columnsOf?: string): Promise<string[]> {
    const rows = await query<{ grantee: string; privileges: string; grantable: boolean }>(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee,
              string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privileges, a.is_grantable AS grantable
         FROM aclexplode($1::aclitem[]) a
        WHERE a.grantee <> $2::regrole::oid
          AND a.privilege_type <> 'MAINTAIN' -- PostgreSQL 17+ only; the app grants it to nobody
        GROUP BY 1, 3 ORDER BY 1, 3`,
      [acl, objectOwner],
    );
    for (const row of rows) {
      const privileges = columnsOf
        ? row.privileges
            .split(", ")
            .map((p) => `${p} (${columnsOf})`)
            .join(", ")
        : row.privileges;
      out.push(`GRANT ${privileges} ON ${on} TO ${row.grantee}${row.grantable ? " WITH GRANT OPTION" : ""};`);
    }
    return rows.map((row) => row.grantee);
  }

  section("Extensions");
  for (const { name } of await query<{ name: string }>(
    `SELECT quote_ident(e.extname) AS name FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE n.nspname = $1 ORDER BY e.extname`,
  )) {
    out.push(`CREATE EXTENSION ${name};`);
  }
  out.push("");

  section("Schema privileges");
  const [schemaRow] = await query<{ name: string; acl: string | null; owner: string }>(
    `SELECT quote_ident(nspname) AS name, nspacl::text AS acl, nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1`,
  );
  await grants(schemaRow!.acl ?? "{}", schemaRow!.owner, `SCHEMA ${schemaRow!.name}`);
  out.push("");

  section("Enum types");
  for (const type of await query<{ name: string; labels: string[] }>(
    `SELECT quote_ident(t.typname) AS name, array_agg(quote_literal(e.enumlabel) ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1 AND ${notInExtension("pg_type", "t.oid")}
      GROUP BY t.typname ORDER BY t.typname`,
  )) {
    out.push(`CREATE TYPE ${type.name} AS ENUM (${type.labels.join(", ")});`);
  }
  out.push("");

  const otherKinds = await query<{ kind: string; name: string }>(
    `SELECT c.relkind::text AS kind, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind NOT IN ('r', 'i') AND ${notInExtension("pg_class", "c.oid")}
      ORDER BY c.relname`,
  );
  if (otherKinds.length) {
    // Views, sequences, partitioned tables...: none so far. Print them when a migration adds one.
    throw new Error(`schema-sql.ts does not print relations of kind ${otherKinds.map((r) => `${r.kind} (${r.name})`).join(", ")} yet`);
  }

  const tables = await query<{ oid: string; name: string; owner: string; acl: string | null; rls: boolean; forceRls: boolean }>(
    `SELECT c.oid::text AS oid, quote_ident(c.relname) AS name, c.relowner::regrole::text AS owner, c.relacl::text AS acl,
            c.relrowsecurity AS rls, c.relforcerowsecurity AS "forceRls"
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' AND ${notInExtension("pg_class", "c.oid")}
      ORDER BY c.relname`,
  );
  section("Tables, with their indexes, triggers, row-level security, policies and grants");
  for (const table of tables) {
    const byTable = [table.oid];
    const columns = await query<{
      name: string;
      type: string;
      notNull: boolean;
      default: string | null;
      generated: string;
      identity: string;
      collation: string | null;
    }>(
      `SELECT quote_ident(a.attname) AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
              pg_get_expr(d.adbin, d.adrelid) AS default, a.attgenerated::text AS generated, a.attidentity::text AS identity,
              CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END AS collation
         FROM pg_attribute a
         JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      byTable,
    );
    // Not-null constraints are catalogued (contype 'n') from PostgreSQL 18 on, but the columns say NOT NULL
    // already; a constraint trigger's entry (contype 't') is printed as the trigger.
    const constraints = await query<{ name: string; definition: string }>(
      `SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid, true) AS definition
         FROM pg_constraint WHERE conrelid = $1::oid AND contype IN ('p', 'u', 'c', 'f', 'x')
        ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'c' THEN 2 WHEN 'f' THEN 3 ELSE 4 END, conname`,
      byTable,
    );
    const lines = columns.map((column) => {
      let line = `  ${column.name} ${column.type}`;
      if (column.collation) line += ` COLLATE ${column.collation}`;
      if (column.identity) line += ` GENERATED ${column.identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
      else if (column.generated === "s") line += ` GENERATED ALWAYS AS (${column.default}) STORED`;
      else if (column.generated === "v") line += ` GENERATED ALWAYS AS (${column.default}) VIRTUAL`;
      else if (column.default !== null) line += ` DEFAULT ${column.default}`;
      if (column.notNull) line += " NOT NULL";
      return line;
    });
    lines.push(...constraints.map((constraint) => `  CONSTRAINT ${constraint.name} ${constraint.definition}`));
    out.push(`CREATE TABLE ${table.name} (`, lines.join(",\n"), ");");
    if (owner(table.owner)) out.push(`ALTER TABLE ${table.name} OWNER TO ${table.owner};`);

    for (const { definition } of await query<{ definition: string }>(
      `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = $1::oid AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
        ORDER BY c.relname`,
      byTable,
    )) {
      out.push(`${definition};`);
    }
    for (const { definition } of await query<{ definition: string }>(
      `SELECT pg_get_triggerdef(oid, true) AS definition FROM pg_trigger WHERE tgrelid = $1::oid AND NOT tgisinternal ORDER BY tgname`,
      byTable,
    )) {
      out.push(`${definition};`);
    }
    if (table.rls) out.push(`ALTER TABLE ${table.name} ENABLE ROW LEVEL SECURITY;`);
    if (table.forceRls) out.push(`ALTER TABLE ${table.name} FORCE ROW LEVEL SECURITY;`);
    for (const policy of await query<{ name: string; permissive: boolean; command: string; roles: string; using: string | null; check: string | null }>(
      `SELECT quote_ident(p.polname) AS name, p.polpermissive AS permissive, p.polcmd::text AS command,
              (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END, ', ' ORDER BY 1)
                 FROM unnest(p.polroles) r) AS roles,
              pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check
         FROM pg_policy p WHERE p.polrelid = $1::oid ORDER BY p.polname`,
      byTable,
    )) {
      const command = { r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", "*": "ALL" }[policy.command] ?? policy.command;
      let line = `CREATE POLICY ${policy.name} ON ${table.name}${policy.permissive ? "" : " AS RESTRICTIVE"} FOR ${command} TO ${policy.roles}`;
      if (policy.using !== null) line += `\n  USING (${policy.using})`;
      if (policy.check !== null) line += `\n  WITH CHECK (${policy.check})`;
      out.push(`${line};`);
    }
    await grants(table.acl ?? "{}", table.owner, `TABLE ${table.name}`);
    for (const column of await query<{ name: string; acl: string }>(
      `SELECT quote_ident(attname) AS name, attacl::text AS acl FROM pg_attribute
        WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped AND attacl IS NOT NULL ORDER BY attnum`,
      byTable,
    )) {
      await grants(column.acl, table.owner, `TABLE ${table.name}`, column.name);
    }
    out.push("");
  }

  section("Functions (the current body of each), with owners and grants");
  for (const fn of await query<{ signature: string; definition: string; owner: string; acl: string; securityDefiner: boolean }>(
    `SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition, p.proowner::regrole::text AS owner,
            coalesce(p.proacl, acldefault('f', p.proowner))::text AS acl, p.prosecdef AS "securityDefiner"
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND ${notInExtension("pg_proc", "p.oid")}
      ORDER BY p.proname, p.oid::regprocedure::text`,
  )) {
    out.push(`${fn.definition.trimEnd()};`);
    if (owner(fn.owner)) out.push(`ALTER FUNCTION ${fn.signature} OWNER TO ${fn.owner};`);
    // Everyone may execute a new function until that is revoked, as the migrations do for each.
    const at = out.length;
    if (!(await grants(fn.acl, fn.owner, `FUNCTION ${fn.signature}`)).includes("PUBLIC")) {
      out.splice(at, 0, `REVOKE ALL ON FUNCTION ${fn.signature} FROM PUBLIC;`);
    }
    out.push("");
  }

  return out.join("\n").replace(/\n+$/, "\n");
}
