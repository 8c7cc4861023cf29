package catalog

// introspectSQL reads the whole catalog in one statement and returns one row
// with one json column: {"tables":[…],"types":[…],"functions":[…]}. The
// shapes are decoded by the structs in decode.go; a key renamed here must be
// renamed there.
//
// Requirements: PostgreSQL 12 or later (attgenerated). No parameters.
//
// Plan shape. Columns and constraints are correlated subqueries on rel.oid,
// so each table costs a few index lookups (pg_attribute, pg_attrdef,
// pg_description, pg_constraint by relation): the work is linear in the size
// of the schema whatever the planner estimates. Joining aggregated CTEs
// instead gave row estimates of 1 and quadratic nested loops on a few
// thousand tables. rel is read through unnest(ARRAY(…)) on purpose: the
// planner estimates 10 rows for it, which keeps the statement's estimated cost
// far below jit_above_cost; with the true count (2,000 tables) it estimated
// over 100,000 and JIT compilation added half to the run time, and several
// times the run time once inlining and optimization kicked in (estimated
// cost over 500,000, which the subqueries' per-call costs easily reach).
// The plan is index-driven either way, so the low estimate costs nothing.
//
// Notes on the other parts:
//   - rel: relations of kind r, p, v, m, f outside the system schemas and
//     hdb_catalog. pg_relation_is_updatable is only called for views; its
//     result is a bit set of CmdType: 4 update, 8 insert, 16 delete.
//   - key columns come from unnest(conkey) WITH ORDINALITY, aggregated in
//     ordinality order, so composite keys keep their declared order (conkey
//     is in key order; attnum order would be wrong). Foreign keys do the same
//     with confkey; both arrays are parallel.
//   - a foreign key that references a partitioned table has one extra
//     pg_constraint row per referenced partition, on the same referencing
//     table, whose conparentid points at a constraint of that same table;
//     those internal rows are skipped.
//   - tids is the set of types to describe: every column type and every enum,
//     closed under "element of a true array" and "base of a domain".
//     A true array has typcategory 'A', typlen -1 and a typelem (this is
//     IsTrueArrayType without typsubscript, which needs PostgreSQL 14; it
//     excludes name and point, whose typelem is only for subscripting).
//   - default expressions are rendered by pg_get_expr under the session's
//     search_path: names it cannot see come out schema-qualified.
//   - fn: plain functions (prokind 'f': no aggregates, window functions or
//     procedures) outside the same schemas as rel, read through the same
//     unnest(ARRAY(…)) for the same reason. Input arguments are the IN,
//     INOUT and VARIADIC ones: all of proargtypes when proargmodes is NULL,
//     else the entries of proallargtypes whose mode is i, b or v. Both
//     arrays are unnested WITH ORDINALITY (proargtypes is an oidvector
//     indexed from 0; the ordinality is the 1-based index into proargnames,
//     which covers all arguments). The last pronargdefaults input arguments
//     have defaults. Overloads come in OID order.
//   - tids also holds every function's return type and input argument
//     types.
const introspectSQL = `
WITH RECURSIVE
rel AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind,
         CASE WHEN c.relkind = 'v' THEN pg_relation_is_updatable(c.oid, false)
              WHEN c.relkind IN ('r', 'p', 'f') THEN 28
              ELSE 0 END AS upd
  FROM unnest(ARRAY(
    SELECT c.oid
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'hdb_catalog')
      AND n.nspname !~ '^pg_(toast|temp)'
  )) AS r(oid)
  JOIN pg_class c ON c.oid = r.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
),
fn AS (
  SELECT p.oid, n.nspname, p.proname, p.prorettype, p.proretset,
         p.provolatile::text AS vol, p.pronargs, p.pronargdefaults,
         coalesce(p.proallargtypes, p.proargtypes::oid[]) AS argtypes,
         p.proargmodes, p.proargnames
  FROM unnest(ARRAY(
    SELECT p.oid
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind = 'f'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'hdb_catalog')
      AND n.nspname !~ '^pg_(toast|temp)'
  )) AS r(oid)
  JOIN pg_proc p ON p.oid = r.oid
  JOIN pg_namespace n ON n.oid = p.pronamespace
),
tids(oid) AS (
  SELECT a.atttypid
  FROM pg_attribute a
  JOIN rel ON rel.oid = a.attrelid
  WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION
  SELECT t.oid
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'hdb_catalog')
    AND n.nspname !~ '^pg_(toast|temp)'
  UNION
  SELECT fn.prorettype FROM fn
  UNION
  SELECT u.typ
  FROM fn, unnest(fn.argtypes) WITH ORDINALITY AS u(typ, ord)
  WHERE fn.proargmodes IS NULL OR fn.proargmodes[u.ord] IN ('i', 'b', 'v')
  UNION
  SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END
  FROM tids
  JOIN pg_type t ON t.oid = tids.oid
  WHERE t.typtype = 'd'
     OR (t.typcategory = 'A' AND t.typlen = -1 AND t.typelem <> 0)
)
SELECT json_build_object(
  'tables', coalesce((
    SELECT json_agg(json_build_object(
      'oid', rel.oid::int8,
      'schema', rel.nspname,
      'name', rel.relname,
      'kind', rel.relkind,
      'upd', rel.upd,
      'comment', (SELECT ds.description FROM pg_description ds
                  WHERE ds.objoid = rel.oid AND ds.classoid = 'pg_class'::regclass
                    AND ds.objsubid = 0),
      'cols', (
        SELECT json_agg(json_build_object(
          'name', a.attname,
          'num', a.attnum,
          'type', a.atttypid::int8,
          'sql', format_type(a.atttypid, a.atttypmod),
          'notnull', a.attnotnull,
          'default', pg_get_expr(d.adbin, d.adrelid),
          'generated', a.attgenerated::text,
          'identity', a.attidentity::text,
          'comment', ds.description
        ) ORDER BY a.attnum)
        FROM pg_attribute a
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_description ds ON ds.objoid = a.attrelid
              AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
        WHERE a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped),
      'cons', (
        SELECT json_agg(json_build_object(
          'name', k.conname,
          'type', k.contype::text,
          'cols', (SELECT json_agg(a.attname ORDER BY u.ord)
                   FROM unnest(k.conkey) WITH ORDINALITY AS u(num, ord)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num),
          'ref_schema', rn.nspname,
          'ref_name', rc.relname,
          'ref_cols', (SELECT json_agg(a.attname ORDER BY u.ord)
                       FROM unnest(k.confkey) WITH ORDINALITY AS u(num, ord)
                       JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num)
        ) ORDER BY k.contype, k.conname)
        FROM pg_constraint k
        LEFT JOIN pg_class rc ON rc.oid = k.confrelid
        LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE k.conrelid = rel.oid AND k.contype IN ('p', 'u', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint pk
                          WHERE pk.oid = k.conparentid AND pk.conrelid = k.conrelid))
    ))
    FROM rel
  ), '[]'),
  'types', coalesce((
    SELECT json_agg(json_build_object(
      'oid', t.oid::int8,
      'schema', n.nspname,
      'name', t.typname,
      'kind', t.typtype::text,
      'category', t.typcategory::text,
      'elem', CASE WHEN t.typcategory = 'A' AND t.typlen = -1 THEN t.typelem::int8 ELSE 0 END,
      'base', t.typbasetype::int8,
      'labels', CASE WHEN t.typtype = 'e' THEN
                  (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)
                   FROM pg_enum e WHERE e.enumtypid = t.oid) END,
      'comment', (SELECT ds.description FROM pg_description ds
                  WHERE ds.objoid = t.oid AND ds.classoid = 'pg_type'::regclass
                    AND ds.objsubid = 0)
    ))
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.oid IN (SELECT oid FROM tids)
  ), '[]'),
  'functions', coalesce((
    SELECT json_agg(json_build_object(
      'oid', fn.oid::int8,
      'schema', fn.nspname,
      'name', fn.proname,
      'args', (
        SELECT json_agg(json_build_object(
          'name', fn.proargnames[a.ord],
          'type', a.typ::int8,
          'default', a.inpos > fn.pronargs - fn.pronargdefaults
        ) ORDER BY a.ord)
        FROM (SELECT u.ord, u.typ, row_number() OVER (ORDER BY u.ord) AS inpos
              FROM unnest(fn.argtypes) WITH ORDINALITY AS u(typ, ord)
              WHERE fn.proargmodes IS NULL
                 OR fn.proargmodes[u.ord] IN ('i', 'b', 'v')) a),
      'ret', fn.prorettype::int8,
      'set', fn.proretset,
      'vol', fn.vol,
      'comment', (SELECT ds.description FROM pg_description ds
                  WHERE ds.objoid = fn.oid AND ds.classoid = 'pg_proc'::regclass
                    AND ds.objsubid = 0)
    ) ORDER BY fn.oid)
    FROM fn
  ), '[]')
)`
