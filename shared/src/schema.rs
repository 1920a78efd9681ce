//! The diesel schema, written to match `migrations/` (the single truth of the schema).
//! Generated columns (`documents.search`) are left out: queries reach them through SQL fragments.

diesel::table! {
    entities (id) {
        id -> Int8,
        entity_type -> Text,
        merged_into -> Nullable<Int8>,
        deleted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    states (code) {
        code -> Text,
        entity_id -> Int8,
        name -> Text,
        ags_prefix -> Nullable<Text>,
        capital -> Nullable<Text>,
        names -> Array<Text>,
        adjectives -> Array<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    actors (id) {
        id -> Int8,
        kind -> Text,
        name -> Text,
        slug -> Text,
        aliases -> Array<Text>,
        state_code -> Nullable<Text>,
        ags -> Nullable<Text>,
        ars -> Nullable<Text>,
        wikidata_id -> Nullable<Text>,
        status -> Text,
        description -> Nullable<Text>,
        homepage -> Nullable<Text>,
        attributes -> Jsonb,
        first_seen -> Nullable<Timestamptz>,
        last_seen -> Nullable<Timestamptz>,
        unlisted_since -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    projects (id) {
        id -> Int8,
        kind -> Text,
        name -> Text,
        slug -> Text,
        aliases -> Array<Text>,
        state_code -> Nullable<Text>,
        status -> Text,
        description -> Nullable<Text>,
        homepage -> Nullable<Text>,
        attributes -> Jsonb,
        first_seen -> Nullable<Timestamptz>,
        last_seen -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    agreements (id) {
        id -> Int8,
        kind -> Text,
        title -> Text,
        slug -> Text,
        aliases -> Array<Text>,
        date_signed -> Nullable<Date>,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
        state_code -> Nullable<Text>,
        renews_id -> Nullable<Int8>,
        status -> Text,
        description -> Nullable<Text>,
        attributes -> Jsonb,
        first_seen -> Nullable<Timestamptz>,
        last_seen -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    services (id) {
        id -> Int8,
        kind -> Text,
        name -> Text,
        slug -> Text,
        aliases -> Array<Text>,
        ozg_id -> Nullable<Text>,
        leika_key -> Nullable<Text>,
        themenfeld -> Nullable<Text>,
        lebenslage -> Nullable<Text>,
        typisierung -> Nullable<Text>,
        lead_state_code -> Nullable<Text>,
        bundled_by_id -> Nullable<Int8>,
        status -> Text,
        attributes -> Jsonb,
        unlisted_since -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sources (id) {
        id -> Int8,
        name -> Text,
        kind -> Text,
        url -> Text,
        schedule -> Nullable<Text>,
        state_code -> Nullable<Text>,
        publisher -> Nullable<Text>,
        enabled -> Bool,
        settings -> Jsonb,
        consecutive_failures -> Int4,
        backoff_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        origin -> Text,
    }
}

diesel::table! {
    harvest_runs (id) {
        id -> Int8,
        source_id -> Int8,
        status -> Text,
        trigger -> Text,
        worker -> Nullable<Text>,
        started_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        items_seen -> Int4,
        items_new -> Int4,
        items_updated -> Int4,
        items_unchanged -> Int4,
        items_failed -> Int4,
        items_skipped -> Int4,
        items_removed -> Int4,
        errors -> Jsonb,
        message -> Nullable<Text>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        job_type -> Text,
        payload -> Jsonb,
        dedup_key -> Nullable<Text>,
        priority -> Int2,
        attempts -> Int4,
        max_attempts -> Int4,
        run_at -> Timestamptz,
        locked_by -> Nullable<Text>,
        locked_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    fetched_urls (url) {
        url -> Text,
        etag -> Nullable<Text>,
        last_modified -> Nullable<Text>,
        status_code -> Nullable<Int4>,
        content_hash -> Nullable<Text>,
        fetched_at -> Timestamptz,
    }
}

diesel::table! {
    raw_responses (sha256) {
        sha256 -> Text,
        url -> Text,
        content_type -> Nullable<Text>,
        encoding -> Text,
        body -> Bytea,
        fetched_at -> Timestamptz,
    }
}

diesel::table! {
    failed_items (source_id, canonical_url) {
        source_id -> Int8,
        canonical_url -> Text,
        url -> Text,
        raw_sha256 -> Text,
        title -> Nullable<Text>,
        published_at -> Nullable<Timestamptz>,
        error -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    documents (id) {
        id -> Int8,
        source_id -> Nullable<Int8>,
        url -> Text,
        canonical_url -> Text,
        title -> Text,
        published_at -> Nullable<Timestamptz>,
        published_source -> Nullable<Text>,
        publisher -> Nullable<Text>,
        publisher_actor_id -> Nullable<Int8>,
        place -> Nullable<Text>,
        press_release_number -> Nullable<Text>,
        lang -> Text,
        text -> Text,
        summary -> Nullable<Text>,
        attachments -> Jsonb,
        content_hash -> Text,
        simhash -> Nullable<Int8>,
        duplicate_of -> Nullable<Int8>,
        near_duplicate_of -> Nullable<Int8>,
        raw_sha256 -> Nullable<Text>,
        etag -> Nullable<Text>,
        last_modified -> Nullable<Text>,
        fetched_at -> Timestamptz,
        version -> Int4,
        extractor -> Text,
        primary_state -> Nullable<Text>,
        deleted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    document_versions (id) {
        id -> Int8,
        document_id -> Int8,
        version -> Int4,
        title -> Text,
        text -> Text,
        published_at -> Nullable<Timestamptz>,
        content_hash -> Text,
        fetched_at -> Timestamptz,
        superseded_at -> Timestamptz,
    }
}

diesel::table! {
    document_states (document_id, state_code) {
        document_id -> Int8,
        state_code -> Text,
        is_primary -> Bool,
        score -> Float4,
        signals -> Array<Text>,
    }
}

diesel::table! {
    mentions (id) {
        id -> Int8,
        document_id -> Int8,
        entity_id -> Int8,
        surface -> Text,
        start_offset -> Int4,
        end_offset -> Int4,
        method -> Text,
        confidence -> Float4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    relations (id) {
        id -> Int8,
        subject_id -> Int8,
        predicate -> Text,
        object_id -> Int8,
        role -> Nullable<Text>,
        title -> Nullable<Text>,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
        qualifiers -> Jsonb,
        status -> Text,
        confidence -> Float4,
        deleted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    evidence (id) {
        id -> Int8,
        relation_id -> Int8,
        document_id -> Nullable<Int8>,
        source_id -> Nullable<Int8>,
        sentence -> Nullable<Text>,
        start_offset -> Nullable<Int4>,
        end_offset -> Nullable<Int4>,
        method -> Text,
        confidence -> Float4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        who -> Text,
        action -> Text,
        target -> Nullable<Text>,
        details -> Jsonb,
        at -> Timestamptz,
    }
}

diesel::joinable!(states -> entities (entity_id));
diesel::joinable!(actors -> entities (id));
diesel::joinable!(actors -> states (state_code));
diesel::joinable!(projects -> entities (id));
diesel::joinable!(agreements -> entities (id));
diesel::joinable!(services -> entities (id));
diesel::joinable!(harvest_runs -> sources (source_id));
diesel::joinable!(documents -> sources (source_id));
diesel::joinable!(failed_items -> sources (source_id));
diesel::joinable!(failed_items -> raw_responses (raw_sha256));
diesel::joinable!(document_versions -> documents (document_id));
diesel::joinable!(document_states -> documents (document_id));
diesel::joinable!(document_states -> states (state_code));
diesel::joinable!(mentions -> documents (document_id));
diesel::joinable!(mentions -> entities (entity_id));
diesel::joinable!(evidence -> relations (relation_id));
diesel::joinable!(evidence -> documents (document_id));

diesel::allow_tables_to_appear_in_same_query!(
    entities,
    states,
    actors,
    projects,
    agreements,
    services,
    sources,
    harvest_runs,
    jobs,
    fetched_urls,
    raw_responses,
    failed_items,
    documents,
    document_versions,
    document_states,
    mentions,
    relations,
    evidence,
    audit_log,
);
