// Package dataapi runs Hasura's legacy data API: the /v1/query request
// types select, insert, update, delete and count, with which Hasura's own
// test fixtures seed and read data. The admin bypasses permissions; another
// role (Access) runs select and count through its select permissions (row
// filter ANDed in, session variables bound as one JSON argument, columns
// checked, limit capped) and is refused insert, update and delete.
//
// Input: a request's type and args (JSON) and the resolved metadata model.
// Output: Hasura's JSON response, built by Postgres in one statement, or a
// *metadata.APIError in Hasura's shape. Arguments are checked in Hasura's
// order so that the first error reported is Hasura's; the request becomes
// the plan IR (plan.Select, plan.DMLInsert, …) and engine/sqlgen compiles
// it. Every user value travels as a text parameter cast to its column's
// type; identifiers come from the catalog.
package dataapi
