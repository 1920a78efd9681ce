DROP TABLE raw_responses;
DROP TABLE fetched_urls;
DROP TABLE jobs;
DROP TABLE harvest_runs;
DROP TABLE sources;
