-- Deterministic seed data for the tutoring example.
--
-- Every row is computed from generate_series and fixed arithmetic (no
-- random(), no now()), ids are explicit, and timestamps carry explicit UTC
-- offsets and only move by fixed hours (never by days, which depend on the
-- session time zone), so every database gets exactly the same rows whatever
-- its TimeZone setting. The TRUNCATE makes the file safe to re-apply.
-- There is no BEGIN/COMMIT, so the file can also be sent through run_sql
-- (which runs it in one transaction); with psql use --single-transaction.

TRUNCATE public.course_participants, public.lectures, public.courses,
         public.matches, public.tutor_subjects, public.subjects,
         public.tutors, public.students, public.users
  RESTART IDENTITY;

-- ---------------------------------------------------------------------------
-- users: 1500 rows. In every block of 15 ids, 11 are students, 3 tutors and
-- 1 coordinator. 40 first names x 41 last names, stepped by numbers coprime
-- to both lengths, give a unique name (and so a unique email) per user.
-- ---------------------------------------------------------------------------
INSERT INTO public.users (id, name, email, role, profile, created_at)
SELECT
    g,
    fn || ' ' || ln,
    lower(fn) || '.' || lower(ln)
        || CASE WHEN role = 'coordinator' THEN '@tutoring.example.org' ELSE '@example.org' END,
    role::public.user_role,
    jsonb_build_object(
        'timezone', (ARRAY['Europe/Berlin', 'Europe/London', 'America/New_York',
                           'America/Chicago', 'Asia/Kolkata', 'Africa/Lagos'])[(g * 5) % 6 + 1],
        'languages', (ARRAY['["en"]', '["en", "de"]', '["en", "es"]', '["de"]',
                            '["en", "fr"]', '["en", "hi"]', '["en", "yo"]'])[(g * 3) % 7 + 1]::jsonb,
        'newsletter', g % 3 = 0),
    timestamptz '2022-01-03 08:00:00+00' + g * interval '5 hours 17 minutes'
FROM (
    SELECT
        g,
        (ARRAY['Amara', 'Ben', 'Chloe', 'Daniel', 'Elif', 'Felix', 'Grace', 'Hamza',
               'Isabel', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Noah', 'Olivia', 'Priya',
               'Quentin', 'Rosa', 'Samuel', 'Tara', 'Umar', 'Vera', 'William', 'Ximena',
               'Yusuf', 'Zoe', 'Aditi', 'Bruno', 'Carmen', 'Dmitri', 'Emma', 'Farah',
               'Gabriel', 'Hannah', 'Ivan', 'Julia', 'Kwame', 'Lena', 'Mateo', 'Nadia'])[(g * 7) % 40 + 1] AS fn,
        (ARRAY['Okafor', 'Schmidt', 'Nguyen', 'Garcia', 'Kowalski', 'Murphy', 'Rossi',
               'Yilmaz', 'Fischer', 'Patel', 'Andersen', 'Dubois', 'Tanaka', 'Silva',
               'Johnson', 'Novak', 'Haddad', 'Kim', 'Becker', 'Mensah', 'Lindqvist',
               'Moreau', 'Costa', 'Weber', 'Osei', 'Hoffmann', 'Kaur', 'Jansen', 'Ivanova',
               'Lopez', 'Brennan', 'Sato', 'Adeyemi', 'Keller', 'Wojcik', 'Santos',
               'Richter', 'Chen', 'Larsen', 'Mbeki', 'Hughes'])[(g * 11) % 41 + 1] AS ln,
        CASE WHEN (g - 1) % 15 < 11 THEN 'student'
             WHEN (g - 1) % 15 < 14 THEN 'tutor'
             ELSE 'coordinator' END AS role
    FROM generate_series(1, 1500) AS g
) AS u;

-- ---------------------------------------------------------------------------
-- students: 1100 rows, one per student user, numbered in user id order.
-- ---------------------------------------------------------------------------
INSERT INTO public.students (id, user_id, grade, school, guardian_email)
SELECT
    s,
    user_id,
    grade,
    (ARRAY['Riverside Comprehensive', 'Northgate Academy', 'St. Mary''s School',
           'Lindenhof Gymnasium', 'Eastbrook High', 'Oakwood Secondary', 'Harbour View School',
           'Westfield Primary', 'Greenhill Grammar', 'Maple Street School',
           'Kingsway Community College', 'Sunnybank Academy', 'Hillcrest International',
           'Bridgewater High', 'Meadowlands School'])[(s * 4) % 15 + 1],
    CASE WHEN grade < 9 THEN 'parent.' || split_part(email, '@', 1) || '@example.net' END
FROM (
    SELECT row_number() OVER (ORDER BY id)::int AS s,
           id AS user_id,
           email,
           (((id * 7) % 12) + 1)::smallint AS grade
    FROM public.users
    WHERE role = 'student'
) AS st;

-- ---------------------------------------------------------------------------
-- tutors: 300 rows, one per tutor user, numbered in user id order.
-- ---------------------------------------------------------------------------
INSERT INTO public.tutors (id, user_id, bio, hourly_capacity, verified, joined_on)
SELECT
    t,
    user_id,
    (ARRAY['Retired maths teacher', 'Software engineer', 'Medical student',
           'Physics PhD candidate', 'Librarian', 'Accountant', 'Secondary school teacher',
           'Translator', 'Mechanical engineer', 'Education student'])[(t * 3) % 10 + 1]
    || '. ' ||
    (ARRAY['Loves helping students build confidence.',
           'Believes every question is a good question.',
           'Tutored at a community centre for years.',
           'Enjoys turning hard problems into small steps.',
           'Was helped by a volunteer tutor once and wants to give back.',
           'Patient, structured, and fond of worked examples.',
           'Happy to help with homework and exam preparation.',
           'Available mostly in the evenings.'])[(t * 5) % 8 + 1],
    1 + (t * 5) % 6,
    t % 9 <> 0,
    date '2021-09-01' + (t * 37) % 800
FROM (
    SELECT row_number() OVER (ORDER BY id)::int AS t, id AS user_id
    FROM public.users
    WHERE role = 'tutor'
) AS tu;

-- ---------------------------------------------------------------------------
-- subjects: 20 rows.
-- ---------------------------------------------------------------------------
INSERT INTO public.subjects (id, name, category) VALUES
    (1, 'Algebra', 'Mathematics'),
    (2, 'Geometry', 'Mathematics'),
    (3, 'Calculus', 'Mathematics'),
    (4, 'Statistics', 'Mathematics'),
    (5, 'Biology', 'Science'),
    (6, 'Chemistry', 'Science'),
    (7, 'Physics', 'Science'),
    (8, 'Computer Science', 'Science'),
    (9, 'English Writing', 'Languages'),
    (10, 'Reading Comprehension', 'Languages'),
    (11, 'Spanish', 'Languages'),
    (12, 'French', 'Languages'),
    (13, 'German', 'Languages'),
    (14, 'History', 'Humanities'),
    (15, 'Geography', 'Humanities'),
    (16, 'Economics', 'Humanities'),
    (17, 'Philosophy', 'Humanities'),
    (18, 'Music Theory', 'Arts'),
    (19, 'Art History', 'Arts'),
    (20, 'Study Skills', 'General');

-- ---------------------------------------------------------------------------
-- tutor_subjects: 900 rows, three distinct subjects per tutor:
-- subject (7t + 5k) mod 20 + 1 for k = 0, 1, 2.
-- ---------------------------------------------------------------------------
INSERT INTO public.tutor_subjects (tutor_id, subject_id, level)
SELECT
    t,
    (t * 7 + k * 5) % 20 + 1,
    (ARRAY['introductory', 'intermediate', 'advanced'])[(t + k) % 3 + 1]
FROM generate_series(1, 300) AS t
CROSS JOIN generate_series(0, 2) AS k;

-- ---------------------------------------------------------------------------
-- matches: 1500 rows. Tutors 1..280 get 5 or 6 matches each (281..300 are
-- still waiting for their first student); the subject is always one the
-- tutor teaches. Students 1..400 have two matches, the rest one.
-- ---------------------------------------------------------------------------
INSERT INTO public.matches (id, student_id, tutor_id, subject_id, status, started_at, ended_at, notes)
SELECT
    m,
    ((m - 1) * 389) % 1100 + 1,
    t,
    (t * 7 + (m % 3) * 5) % 20 + 1,
    status::public.match_status,
    started_at,
    CASE WHEN status = 'ended' THEN started_at + make_interval(hours => 24 * (21 + m % 120)) END,
    CASE m % 5
        WHEN 0 THEN 'Meets weekly on ' || (ARRAY['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Saturdays'])[(m / 5) % 5 + 1] || ' via video call.'
        WHEN 1 THEN 'Focus on exam preparation.'
        WHEN 2 THEN NULL
        WHEN 3 THEN 'Student prefers short sessions with lots of practice.'
        ELSE NULL
    END
FROM (
    SELECT
        m,
        ((m - 1) * 13) % 280 + 1 AS t,
        CASE WHEN m % 10 < 6 THEN 'active'
             WHEN m % 10 = 6 THEN 'pending'
             WHEN m % 10 = 7 THEN 'paused'
             ELSE 'ended' END AS status,
        timestamptz '2023-01-09 16:00:00+00' + m * interval '5 hours 13 minutes' AS started_at
    FROM generate_series(1, 1500) AS m
) AS mm;

-- ---------------------------------------------------------------------------
-- courses: 120 rows, each taught by a tutor in one of the tutor's subjects.
-- Every third course is free.
-- ---------------------------------------------------------------------------
INSERT INTO public.courses (id, title, subject_id, tutor_id, starts_on, capacity, price)
SELECT
    c,
    s.name || ': ' || (ARRAY['Foundations', 'Exam Bootcamp', 'Weekend Workshop', 'Study Group',
                             'Summer Intensive', 'Problem Solving Circle', 'Beginners Course',
                             'Advanced Seminar'])[(c * 5) % 8 + 1],
    s.id,
    cc.t,
    date '2024-01-08' + 7 * ((c * 11) % 40),
    10 + (c * 3) % 21,
    CASE WHEN c % 3 = 0 THEN 0.00
         ELSE (10 + ((c * 7) % 9) * 5)::numeric(8,2) - 0.50 * (c % 2) END
FROM (
    SELECT c, ((c - 1) * 17) % 300 + 1 AS t
    FROM generate_series(1, 120) AS c
) AS cc
JOIN public.subjects AS s ON s.id = (cc.t * 7 + (cc.c % 3) * 5) % 20 + 1;

-- ---------------------------------------------------------------------------
-- lectures: 900 rows, 6 to 9 weekly sessions per course at 17:00 UTC.
-- ---------------------------------------------------------------------------
INSERT INTO public.lectures (id, course_id, position, title, scheduled_at, duration_minutes)
SELECT
    row_number() OVER (ORDER BY c.id, p)::int,
    c.id,
    p,
    'Session ' || p || ': ' ||
        CASE WHEN p = 1 THEN 'Introduction and goals'
             WHEN p = 6 + c.id % 4 THEN 'Review and wrap-up'
             ELSE (ARRAY['Key concepts', 'Worked examples', 'Practice problems', 'Common mistakes',
                         'Group project', 'Mock exam', 'Questions and answers'])[(c.id + p * 3) % 7 + 1]
        END,
    ((c.starts_on + 7 * (p - 1))::timestamp + interval '17 hours') AT TIME ZONE 'UTC',
    (ARRAY[45, 60, 90])[c.id % 3 + 1]
FROM public.courses AS c
CROSS JOIN LATERAL generate_series(1, 6 + c.id % 4) AS p;

-- ---------------------------------------------------------------------------
-- course_participants: most courses are nearly full; students join in the
-- three weeks before the course starts.
-- ---------------------------------------------------------------------------
INSERT INTO public.course_participants (course_id, student_id, joined_at)
SELECT
    c.id,
    (c.id * 53 + j * 97) % 1100 + 1,
    ((c.starts_on - (1 + (j * 3 + c.id) % 20))::timestamp
        + make_interval(hours => 8 + (c.id + j * 5) % 14, mins => (j * 7) % 60)) AT TIME ZONE 'UTC'
FROM public.courses AS c
CROSS JOIN LATERAL generate_series(0, c.capacity - 1 - c.id % 5) AS j;

-- Move the identity sequences past the explicit ids.
SELECT setval(pg_get_serial_sequence('public.users', 'id'), (SELECT max(id) FROM public.users));
SELECT setval(pg_get_serial_sequence('public.students', 'id'), (SELECT max(id) FROM public.students));
SELECT setval(pg_get_serial_sequence('public.tutors', 'id'), (SELECT max(id) FROM public.tutors));
SELECT setval(pg_get_serial_sequence('public.subjects', 'id'), (SELECT max(id) FROM public.subjects));
SELECT setval(pg_get_serial_sequence('public.matches', 'id'), (SELECT max(id) FROM public.matches));
SELECT setval(pg_get_serial_sequence('public.courses', 'id'), (SELECT max(id) FROM public.courses));
SELECT setval(pg_get_serial_sequence('public.lectures', 'id'), (SELECT max(id) FROM public.lectures));
