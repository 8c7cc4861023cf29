package main

import (
	"encoding/json"
	"io"
)

// endpoint is the floor's answer to one benchmark case.
type endpoint struct {
	// Name is the case's name (hack/bench/cases.go), served at POST /Name.
	Name string
	// SQL is the one statement that answers the request. It returns one row
	// of one json column: the whole answer, {"data":{…}} included. It
	// builds the same JSON as the engine (json_build_object, json_agg, so
	// the same value formatting), except for the blanks json_build_object
	// puts around the envelope's colons: the answers are equal once
	// compacted (hack/bench checks that before every run).
	SQL string
	// Args reads the request body and returns the statement's arguments.
	Args func(body io.Reader) ([]any, error)
}

// withVariables builds an endpoint's Args: it decodes the body's
// "variables" member, and only that, into V and maps it to the arguments.
func withVariables[V any](args func(V) []any) func(io.Reader) ([]any, error) {
	return func(body io.Reader) ([]any, error) {
		var req struct {
			Variables V `json:"variables"`
		}
		if err := json.NewDecoder(body).Decode(&req); err != nil {
			return nil, err
		}
		return args(req.Variables), nil
	}
}

// noVariables is the Args of a request without variables: the body is not
// read at all.
func noVariables(io.Reader) ([]any, error) { return nil, nil }

// The statements mirror the queries in hack/bench/queries/. Values the
// GraphQL request carries as variables are $n parameters; values written
// in the query document itself (the status, the limits, the inserted
// title…) are constants of the statement, as they are of the document.
// GraphQL numeric variables may be JSON numbers or strings: json.Number
// takes both, and goes to Postgres as text.
var endpoints = []endpoint{
	{
		Name: "by_pk",
		SQL: `select json_build_object('data', json_build_object('articles_by_pk', (
	select json_build_object('id', a.id, 'title', a.title, 'status', a.status, 'price', a.price,
		'published_at', a.published_at, 'author', json_build_object('id', u.id, 'name', u.name))
	from articles a join users u on u.id = a.author_id
	where a.id = $1)))`,
		Args: withVariables(func(v struct{ ID int32 }) []any { return []any{v.ID} }),
	},
	{
		Name: "list_20",
		SQL: `select json_build_object('data', json_build_object('articles', (
	select coalesce(json_agg(json_build_object('id', a.id, 'title', a.title, 'price', a.price,
		'published_at', a.published_at, 'attributes', a.attributes,
		'author', json_build_object('name', u.name)) order by a.id desc), '[]')
	from (select * from articles where status = 'published' and price >= $1 order by id desc limit 20) a
	join users u on u.id = a.author_id)))`,
		Args: withVariables(func(v struct{ Min json.Number }) []any { return []any{v.Min.String()} }),
	},
	{
		Name: "nested_10x10x5",
		SQL: `select json_build_object('data', json_build_object('users', (
	select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'articles', (
		select coalesce(json_agg(json_build_object('id', a.id, 'title', a.title, 'status', a.status, 'comments', (
			select coalesce(json_agg(json_build_object('id', c.id, 'body', c.body, 'created_at', c.created_at) order by c.id), '[]')
			from (select * from comments where article_id = a.id order by id limit 5) c
		)) order by a.id), '[]')
		from (select * from articles where author_id = u.id order by id limit 10) a
	)) order by u.id), '[]')
	from (select * from users order by id limit 10) u)))`,
		Args: noVariables,
	},
	{
		Name: "aggregate",
		SQL: `select json_build_object('data', json_build_object('articles_aggregate', json_build_object('aggregate',
	json_build_object('count', count(*), 'avg', json_build_object('price', avg(price))))))
from articles
where status = 'published' and author_id <= $1`,
		Args: withVariables(func(v struct{ MaxAuthor int32 }) []any { return []any{v.MaxAuthor} }),
	},
	{
		// An upsert on a fixed id, like the GraphQL mutation (see cases.go).
		Name: "insert_returning",
		SQL: `with a as (
	insert into articles (id, author_id, title, status, price, attributes, published_at)
	values ($1, $2, 'Bench article', 'draft', 9.99, '{}', '2024-01-01T00:00:00Z')
	on conflict on constraint articles_pkey do update set title = excluded.title, price = excluded.price
	returning id, title, price)
select json_build_object('data', json_build_object('insert_articles_one',
	(select json_build_object('id', id, 'title', title, 'price', price) from a)))`,
		Args: withVariables(func(v struct{ ID, Author int32 }) []any { return []any{v.ID, v.Author} }),
	},
	{
		Name: "update_by_pk",
		SQL: `with a as (
	update articles set price = $2 where id = $1
	returning id, title, price)
select json_build_object('data', json_build_object('update_articles_by_pk',
	(select json_build_object('id', id, 'title', title, 'price', price) from a)))`,
		Args: withVariables(func(v struct {
			ID    int32
			Price json.Number
		}) []any {
			return []any{v.ID, v.Price.String()}
		}),
	},
}
