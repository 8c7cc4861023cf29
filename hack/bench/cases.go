package main

// benchCase is one row of the results table: a GraphQL request body sent
// over and over at fixed concurrency.
type benchCase struct {
	// Name is the row's name in the results table; keep it stable, so that
	// result files from different runs line up.
	Name string
	// Body is the file under queries/ holding the JSON request body.
	Body string
	// Pending, when set, says why the case is not measured yet; the row is
	// printed with dashes and this reason, so that the table keeps its shape.
	Pending string
}

// cases are the workloads, in table order.
var cases = []benchCase{
	// articles_by_pk with a few columns and the author (object relationship).
	{Name: "by_pk", Body: "by_pk.json"},
	// 20 published articles above a price, newest id first, with the author.
	{Name: "list_20", Body: "list_20.json"},
	// users(limit 10) { articles(limit 10) { comments(limit 5) } }: 10 × 10 × 5.
	{Name: "nested_10x10x5", Body: "nested_10x10x5.json"},
	// count and avg(price) of the published articles of 1 000 authors.
	{Name: "aggregate", Body: "aggregate.json"},

	// insert_articles_one … returning the row. It is an
	// upsert on a fixed id past the data set, so that the data set stays the
	// same from run to run: the first request inserts the row, the others
	// update it (the same statement, through ON CONFLICT).
	{Name: "insert_returning", Body: "insert_returning.json"},
	// update_articles_by_pk setting the price of one article, returning it.
	{Name: "update_by_pk", Body: "update_by_pk.json"},
}
