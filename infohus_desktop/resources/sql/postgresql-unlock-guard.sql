-- Infohus Desktop: the server-side unlock guard for a vault on PostgreSQL (issue 18).
--
-- The guard keeps each member's count of failed unlocks in a row the application role cannot
-- write, and makes every unlock attempt wait out its delay ON THE SERVER, holding a lock on
-- that row, before the client gets to derive a key: parallel attempts for one member queue up
-- and pay 1, 2, 4, ... s in turn. An attempt counts as a failure in advance; only a proof
-- that the member's Ed25519 signing key was unsealed (a signature over a fresh server nonce,
-- checked here against the key pinned in the guard's own table) resets the count.
-- See docs/SECURITY.md §7.
--
-- WHO RUNS IT: the server administrator, as a superuser (or a role with CREATEROLE that can
-- grant SELECT on public.members), in the vault's database, AFTER `infohus init` created it:
--
--     psql -v ON_ERROR_STOP=1 -d <vault database> -f docs/postgresql-unlock-guard.sql
--
-- The application role (the owner of public.members, i.e. the role in the vault URL) must not
-- be a superuser, have CREATEROLE or be a member of infohus_guard: any of those could take
-- the guard over, and the script refuses to install for such a role. Running the script again
-- replaces the functions and keeps the counters and pinned keys.
--
-- On a server set up with `infohus server init` (docs/SERVER.md) the tables belong to an owner
-- role and the workstations connect as a separate application role; `server init` and
-- `server migrate` run this script themselves and name that role in the setting
-- infohus.app_roles (a comma-separated list), which gets the same checks and grants.
--
-- To relax the delays for a test cluster ONLY (the application role cannot do this):
--     UPDATE infohus_guard.settings SET delay_scale = 0.01;

BEGIN;

DO $$
DECLARE
    app name;
    app_super boolean;
    app_createrole boolean;
    apps text;
    extra text;
BEGIN
    IF to_regclass('public.members') IS NULL THEN
        RAISE EXCEPTION 'public.members is missing: create the vault (infohus init) first';
    END IF;
    SELECT r.rolname, r.rolsuper, r.rolcreaterole INTO app, app_super, app_createrole
    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
    WHERE c.oid = 'public.members'::regclass;
    IF app_super OR app_createrole THEN
        RAISE EXCEPTION 'the application role % is a superuser or has CREATEROLE: it could take over the guard', app;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'infohus_guard') THEN
        CREATE ROLE infohus_guard NOLOGIN NOINHERIT;
    END IF;
    IF pg_has_role(app, 'infohus_guard', 'MEMBER') THEN
        RAISE EXCEPTION 'the application role % is a member of infohus_guard', app;
    END IF;
    apps := app;
    FOREACH extra IN ARRAY string_to_array(
            coalesce(current_setting('infohus.app_roles', true), ''), ',') LOOP
        extra := btrim(extra);
        CONTINUE WHEN extra = '' OR extra = app;
        SELECT r.rolsuper, r.rolcreaterole INTO app_super, app_createrole
        FROM pg_roles r WHERE r.rolname = extra;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the application role % does not exist', extra;
        END IF;
        IF app_super OR app_createrole OR pg_has_role(extra, 'infohus_guard', 'MEMBER') THEN
            RAISE EXCEPTION 'the application role % could take over the guard', extra;
        END IF;
        apps := apps || ',' || extra;
    END LOOP;
    IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'infohus_guard'
               AND nspowner <> 'infohus_guard'::regrole) THEN
        RAISE EXCEPTION 'schema infohus_guard exists and is not owned by infohus_guard';
    END IF;
    -- What the guard reads: a member's id and public signing key, to pin the key (the
    -- schema too, where `infohus server init` closed it to PUBLIC).
    EXECUTE 'GRANT USAGE ON SCHEMA public TO infohus_guard';
    EXECUTE 'GRANT SELECT (id, sign_public, failed_unlocks) ON public.members TO infohus_guard';
    -- The application role needs no schema of its own here, and gets nothing by default.
    PERFORM set_config('infohus_guard.app_role', apps, true);
END $$;

CREATE SCHEMA IF NOT EXISTS infohus_guard AUTHORIZATION infohus_guard;
SET LOCAL ROLE infohus_guard;

CREATE TABLE IF NOT EXISTS infohus_guard.settings (
    id integer PRIMARY KEY CHECK (id = 1),
    -- Multiplies every delay: 1 in production; a test cluster may make it small.
    delay_scale double precision NOT NULL DEFAULT 1 CHECK (delay_scale >= 0 AND delay_scale <= 1)
);
INSERT INTO infohus_guard.settings (id) VALUES (1) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS infohus_guard.throttle (
    member_id text PRIMARY KEY,
    -- Pinned when the row is made (install, or the member's first attempt); never updated:
    -- a passphrase change re-seals the same keys.
    sign_public bytea NOT NULL CHECK (length(sign_public) = 32),
    failures integer NOT NULL DEFAULT 0,
    failures_total bigint NOT NULL DEFAULT 0,
    last_failure_at timestamptz,
    last_success_at timestamptz,
    pinned_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE IF NOT EXISTS infohus_guard.attempts (
    id uuid PRIMARY KEY,
    member_id text NOT NULL REFERENCES infohus_guard.throttle (member_id),
    nonce bytea NOT NULL,
    created_at timestamptz NOT NULL
);

INSERT INTO infohus_guard.throttle (member_id, sign_public, failures)
SELECT m.id, m.sign_public, greatest(m.failed_unlocks, 0)
FROM public.members m
WHERE length(m.sign_public) = 32
ON CONFLICT (member_id) DO NOTHING;

-- unlock_delay of services/accounts/vault.py: 5 free attempts, then 2^(n-5) s, at most 60 s.
CREATE OR REPLACE FUNCTION infohus_guard.unlock_delay(n integer) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN n < 5 THEN 0::double precision
                ELSE least(power(2::double precision, least(n - 5, 30)), 60) END
$$;

-- ---- Ed25519 verification (RFC 8032, cofactorless) in exact numeric arithmetic ----------
-- PostgreSQL has no Ed25519 and pgcrypto does not help; these ~80 lines are checked against
-- the `cryptography` package by tests/integration/test_unlock_guard.py.

CREATE OR REPLACE FUNCTION infohus_guard.ed_int(b bytea) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n numeric := 0;
BEGIN
    FOR i IN REVERSE length(b) - 1 .. 0 LOOP
        n := n * 256 + get_byte(b, i);
    END LOOP;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION infohus_guard.ed_pow(b numeric, e numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p CONSTANT numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
    r numeric := 1;
BEGIN
    b := mod(b, p);
    IF b < 0 THEN b := b + p; END IF;
    WHILE e > 0 LOOP
        IF mod(e, 2) = 1 THEN r := mod(r * b, p); END IF;
        b := mod(b * b, p);
        e := div(e, 2);
    END LOOP;
    RETURN r;
END $$;

-- Extended coordinates (X, Y, Z, T); the unified addition also doubles. Values stay in (-p, p).
CREATE OR REPLACE FUNCTION infohus_guard.ed_add(a numeric[], b numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p CONSTANT numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
    d2 CONSTANT numeric := 16295367250680780974490674513165176452449235426866156013048779062215315747161;
    ea numeric; eb numeric; ec numeric; ed numeric; ee numeric; ef numeric; eg numeric; eh numeric;
BEGIN
    ea := mod((a[2] - a[1]) * (b[2] - b[1]), p);
    eb := mod((a[2] + a[1]) * (b[2] + b[1]), p);
    ec := mod(mod(a[4] * d2, p) * b[4], p);
    ed := mod(2 * a[3] * b[3], p);
    ee := eb - ea; ef := ed - ec; eg := ed + ec; eh := eb + ea;
    RETURN ARRAY[mod(ee * ef, p), mod(eg * eh, p), mod(ef * eg, p), mod(ee * eh, p)];
END $$;

CREATE OR REPLACE FUNCTION infohus_guard.ed_mul(s numeric, pt numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    q numeric[] := ARRAY[0, 1, 1, 0]::numeric[];
BEGIN
    WHILE s > 0 LOOP
        IF mod(s, 2) = 1 THEN q := infohus_guard.ed_add(q, pt); END IF;
        pt := infohus_guard.ed_add(pt, pt);
        s := div(s, 2);
    END LOOP;
    RETURN q;
END $$;

CREATE OR REPLACE FUNCTION infohus_guard.ed_decode(b bytea) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p CONSTANT numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
    d CONSTANT numeric := 37095705934669439343138083508754565189542113879843219016388785533085940283555;
    sqrtm1 CONSTANT numeric := 19681161376707505956807079304988542015446066515923890162744021073123829784752;
    sign integer;
    x numeric; y numeric; x2 numeric;
BEGIN
    IF length(b) <> 32 THEN RETURN NULL; END IF;
    sign := get_byte(b, 31) >> 7;
    y := infohus_guard.ed_int(set_byte(b, 31, get_byte(b, 31) & 127));
    IF y >= p THEN RETURN NULL; END IF;
    x2 := mod((y * y - 1) * infohus_guard.ed_pow(d * y * y + 1, p - 2), p);
    IF x2 < 0 THEN x2 := x2 + p; END IF;
    IF x2 = 0 THEN
        IF sign = 1 THEN RETURN NULL; END IF;
        RETURN ARRAY[0, y, 1, 0]::numeric[];
    END IF;
    x := infohus_guard.ed_pow(x2, div(p + 3, 8));
    IF mod(x * x - x2, p) <> 0 THEN x := mod(x * sqrtm1, p); END IF;
    IF mod(x * x - x2, p) <> 0 THEN RETURN NULL; END IF;
    IF mod(x, 2) <> sign THEN x := p - x; END IF;
    RETURN ARRAY[x, y, 1, mod(x * y, p)];
END $$;

CREATE OR REPLACE FUNCTION infohus_guard.ed25519_verify(pub bytea, msg bytea, sig bytea)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p CONSTANT numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
    l CONSTANT numeric := 7237005577332262213973186563042994240857116359379907606001950938285454250989;
    base CONSTANT numeric[] := ARRAY[
        15112221349535400772501151409588531511454012693041857206046113283949847762202,
        46316835694926478169428394003475163141307993866256225615783033603165251855960,
        1,
        46827403850823179245072216630277197565144205554125654976674165829533817101731];
    a numeric[]; r numeric[]; s numeric; h numeric; sb numeric[]; rha numeric[];
BEGIN
    IF length(pub) <> 32 OR length(sig) <> 64 THEN RETURN false; END IF;
    a := infohus_guard.ed_decode(pub);
    r := infohus_guard.ed_decode(substring(sig FROM 1 FOR 32));
    IF a IS NULL OR r IS NULL THEN RETURN false; END IF;
    s := infohus_guard.ed_int(substring(sig FROM 33 FOR 32));
    IF s >= l THEN RETURN false; END IF;
    h := mod(infohus_guard.ed_int(sha512(substring(sig FROM 1 FOR 32) || pub || msg)), l);
    sb := infohus_guard.ed_mul(s, base);
    rha := infohus_guard.ed_add(r, infohus_guard.ed_mul(h, a));
    RETURN mod(sb[1] * rha[3] - rha[1] * sb[3], p) = 0
       AND mod(sb[2] * rha[3] - rha[2] * sb[3], p) = 0;
END $$;

-- lp("infohus/unlock-proof/v1", attempt id (16 bytes), member id (UTF-8), nonce): what the
-- client signs (crypto/encoding.py:lp, services/accounts/unlock_guard.py).
CREATE OR REPLACE FUNCTION infohus_guard.proof_message(attempt uuid, member text, nonce bytea)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT int4send(23) || convert_to('infohus/unlock-proof/v1', 'UTF8')
        || int4send(16) || uuid_send(attempt)
        || int4send(octet_length(convert_to(member, 'UTF8'))) || convert_to(member, 'UTF8')
        || int4send(length(nonce)) || nonce
$$;

-- ---- What the application calls --------------------------------------------------------

CREATE OR REPLACE FUNCTION infohus_guard.version() RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;

-- Before the key derivation: lock the member's row (parallel attempts queue here), wait out
-- the delay for the failures in a row while holding the lock, count this attempt as a failure,
-- and hand out a one-time nonce for finish_unlock. A client that disconnects during the wait
-- rolls the count back, but also leaves without a nonce.
CREATE OR REPLACE FUNCTION infohus_guard.begin_unlock(p_member text)
RETURNS TABLE (o_attempt uuid, o_nonce bytea, o_failures integer, o_waited double precision)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    thr infohus_guard.throttle%ROWTYPE;
    pub bytea;
    scale double precision;
    delay double precision;
BEGIN
    SELECT * INTO thr FROM infohus_guard.throttle t WHERE t.member_id = p_member FOR UPDATE;
    IF NOT FOUND THEN
        SELECT m.sign_public INTO pub FROM public.members m WHERE m.id = p_member;
        IF pub IS NULL OR length(pub) <> 32 THEN
            RAISE EXCEPTION 'infohus_guard: unknown member' USING ERRCODE = 'no_data_found';
        END IF;
        INSERT INTO infohus_guard.throttle (member_id, sign_public) VALUES (p_member, pub)
        ON CONFLICT (member_id) DO NOTHING;
        SELECT * INTO thr FROM infohus_guard.throttle t WHERE t.member_id = p_member FOR UPDATE;
    END IF;
    SELECT s.delay_scale INTO scale FROM infohus_guard.settings s WHERE s.id = 1;
    delay := infohus_guard.unlock_delay(thr.failures) * coalesce(scale, 1);
    IF delay > 0 THEN
        PERFORM pg_sleep(delay);
    END IF;
    UPDATE infohus_guard.throttle t
    SET failures = t.failures + 1, failures_total = t.failures_total + 1,
        last_failure_at = clock_timestamp()
    WHERE t.member_id = p_member;
    DELETE FROM infohus_guard.attempts a
    WHERE a.member_id = p_member AND a.created_at < clock_timestamp() - interval '10 minutes';
    o_attempt := gen_random_uuid();
    o_nonce := uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
    INSERT INTO infohus_guard.attempts (id, member_id, nonce, created_at)
    VALUES (o_attempt, p_member, o_nonce, clock_timestamp());
    o_failures := thr.failures;
    o_waited := delay;
    RETURN NEXT;
END $$;

-- After a successful unlock: the signature over proof_message(...) with the key pinned for
-- the member proves the passphrase was right; then the count goes back to 0. One try per nonce.
CREATE OR REPLACE FUNCTION infohus_guard.finish_unlock(p_attempt uuid, p_signature bytea)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    att infohus_guard.attempts%ROWTYPE;
    pub bytea;
BEGIN
    DELETE FROM infohus_guard.attempts a WHERE a.id = p_attempt RETURNING * INTO att;
    IF NOT FOUND OR att.created_at < clock_timestamp() - interval '10 minutes' THEN
        RETURN false;
    END IF;
    SELECT t.sign_public INTO pub FROM infohus_guard.throttle t WHERE t.member_id = att.member_id;
    IF pub IS NULL OR NOT coalesce(infohus_guard.ed25519_verify(
            pub, infohus_guard.proof_message(att.id, att.member_id, att.nonce), p_signature),
            false) THEN
        RETURN false;
    END IF;
    UPDATE infohus_guard.throttle t SET failures = 0, last_success_at = clock_timestamp()
    WHERE t.member_id = att.member_id;
    RETURN true;
END $$;

-- The member's failures in a row, for display (read only).
CREATE OR REPLACE FUNCTION infohus_guard.failures(p_member text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT t.failures FROM infohus_guard.throttle t WHERE t.member_id = p_member
$$;

-- After a coordinator reset a member's passphrase (new keys, docs/SECURITY.md §4), the key
-- pinned above no longer matches: the member still unlocks, but their count never goes back to
-- 0. The server administrator, having checked with the coordinator that the reset was theirs,
-- accepts the member's new signing key here. The application role cannot run it (a key it
-- swapped into public.members would otherwise be accepted too).
CREATE OR REPLACE FUNCTION infohus_guard.accept_new_key(p_member text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pub bytea;
BEGIN
    SELECT m.sign_public INTO pub FROM public.members m WHERE m.id = p_member;
    IF pub IS NULL OR length(pub) <> 32 THEN
        RETURN false;
    END IF;
    UPDATE infohus_guard.throttle t SET sign_public = pub, failures = 0
    WHERE t.member_id = p_member;
    RETURN FOUND;
END $$;

REVOKE ALL ON SCHEMA infohus_guard FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA infohus_guard FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA infohus_guard FROM PUBLIC;

DO $$
DECLARE
    app text;
BEGIN
    FOREACH app IN ARRAY string_to_array(current_setting('infohus_guard.app_role'), ',') LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA infohus_guard TO %I', app);
        EXECUTE format('GRANT EXECUTE ON FUNCTION infohus_guard.version(), '
            'infohus_guard.begin_unlock(text), infohus_guard.finish_unlock(uuid, bytea), '
            'infohus_guard.failures(text) TO %I', app);
    END LOOP;
END $$;

RESET ROLE;
COMMIT;
