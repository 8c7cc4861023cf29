-- hack/bench/dataset.sql — the load benchmark's data set.
--
-- 10 000 users, 100 000 articles (author → user) and 1 000 000 comments
-- (→ article, → user), made with generate_series. Every value is derived from
-- the row number, so every load is identical: no random().
--
-- The spread is exact: an article's author is (n · 7919) mod 10 000 + 1 and a
-- comment's article is (n · 104729) mod 100 000 + 1. Both multipliers are
-- coprime to the modulus, so each user writes exactly 10 articles and each
-- article gets exactly 10 comments, scattered over the table rather than
-- clustered (as real rows are).
--
-- hack/bench/dataset.sh runs this file in one transaction on an empty
-- database (or after dropping an older version of these objects) and records
-- the file's checksum in bench_meta.data_version, so editing this file makes
-- the next run reload.

-- Tables first, without keys (added after the load, below). One enum, a
-- numeric, a jsonb and a timestamptz column, as in the data set the peers
-- were measured on.
create type article_status as enum ('draft', 'published', 'archived');

create table users (
	id         integer not null,
	name       text not null,
	email      text not null,
	created_at timestamptz not null
);

create table articles (
	id           integer not null,
	author_id    integer not null,
	title        text not null,
	status       article_status not null,
	price        numeric(10, 2) not null,
	attributes   jsonb not null,
	published_at timestamptz not null
);

create table comments (
	id         integer not null,
	article_id integer not null,
	user_id    integer not null,
	body       text not null,
	created_at timestamptz not null
);

insert into users (id, name, email, created_at)
select n,
	'user ' || n,
	'user' || n || '@example.org',
	timestamptz '2023-01-01 00:00:00+00' + n * interval '37 minutes'
from generate_series(1, 10000) as n;

insert into articles (id, author_id, title, status, price, attributes, published_at)
select n,
	(n * 7919) % 10000 + 1,
	'article ' || n || ' on topic ' || n % 97,
	-- 60 % published, 30 % draft, 10 % archived
	(case when n % 10 < 6 then 'published' when n % 10 < 9 then 'draft' else 'archived' end)::article_status,
	((n * 7907) % 100000) / 100.0,
	jsonb_build_object('words', 200 + (n * 31) % 3000, 'topic', n % 97, 'featured', n % 50 = 0),
	timestamptz '2024-01-01 00:00:00+00' + n * interval '5 minutes'
from generate_series(1, 100000) as n;

insert into comments (id, article_id, user_id, body, created_at)
select n,
	(n * 104729) % 100000 + 1,
	(n * 7877) % 10000 + 1,
	'comment ' || n || ': a fixed-length remark about the article, for realistic row width',
	timestamptz '2024-06-01 00:00:00+00' + n * interval '20 seconds'
from generate_series(1::bigint, 1000000) as n; -- bigint: n · 104729 overflows integer

-- Keys and foreign keys once the rows are in: one index build and one
-- validation scan each, much faster than checking row by row. The engine's
-- relationships follow the foreign keys.
alter table users add primary key (id);
alter table articles add primary key (id);
alter table comments add primary key (id);
alter table articles add foreign key (author_id) references users (id);
alter table comments add foreign key (article_id) references articles (id);
alter table comments add foreign key (user_id) references users (id);

-- The indexes the peers had: children by parent, in key order.
create index articles_author_id_id on articles (author_id, id);
create index comments_article_id_id on comments (article_id, id);

analyze users;
analyze articles;
analyze comments;
