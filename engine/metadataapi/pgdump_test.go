package metadataapi

import "testing"

func TestCleanDump(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{name: "preamble and comments", in: "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n" +
			"SELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\nSET row_security = off;\n",
			want: "SET check_function_bodies = false;\n"},
		{name: "the public schema", in: "CREATE SCHEMA public;\nCOMMENT ON SCHEMA public IS 'standard public schema';\nCREATE SCHEMA app;\n",
			want: "CREATE SCHEMA app;\n"},
		{name: "psql meta-commands", in: "\\restrict abc\nCREATE TABLE public.t (\n    id integer\n);\n\\unrestrict abc",
			want: "CREATE TABLE public.t (\n    id integer\n);\n"},
		{name: "blank lines anywhere, comments only at the start of a line", in: "CREATE FUNCTION f() RETURNS int\n    AS $$\n   \n    -- kept\n  SELECT 1 $$;\n",
			want: "CREATE FUNCTION f() RETURNS int\n    AS $$\n    -- kept\n  SELECT 1 $$;\n"},
		{name: "event trigger triggers", in: `CREATE TRIGGER "notify_hasura_on_insert_INSERT" AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION "hdb_catalog"."notify_hasura_on_insert_INSERT"();` +
			"\nCREATE TRIGGER audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.audit();\n",
			want: "CREATE TRIGGER audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.audit();\n"},
		{name: "other settings stay", in: "SET search_path = app;\nSET default_with_oids = false;\n", want: "SET search_path = app;\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(cleanDump([]byte(c.in))); got != c.want {
				t.Errorf("cleanDump(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}
