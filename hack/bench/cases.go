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

	// Mutations: not implemented by the engine yet. When they are, add
	// queries/insert_returning.json (insert_articles_one … returning id) and
	// queries/update_by_pk.json (update_articles_by_pk … _set price), and
	// drop Pending. An insert grows the data set: the runner must then
	// reload it (hack/bench/dataset.sh --reset) or delete the new rows after
	// the run, so that the next run starts from the same data.
	{Name: "insert_returning", Pending: "mutations are not implemented yet"},
	{Name: "update_by_pk", Pending: "mutations are not implemented yet"},
}
