//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// govgraph watches how German states, districts and municipalities cooperate on e-government:
/// it harvests announcements, tags them, and serves a GraphQL graph with evidence.
///
/// Without configuration it uses DATABASE_URL, else the local PostgreSQL server (creating the
/// `govgraph` database), else a private cluster under .govgraph/ started with the installed server
/// binaries.
#[derive(Debug, Parser)]
#[command(name = "govgraph", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Everything in one process: migrate, load reference data, schedule and harvest the sources,
    /// and serve the API.
    Up {
        /// Address of the API.
        #[arg(long, env = "GOVGRAPH_BIND")]
        bind: Option<SocketAddr>,
        /// The sources file.
        #[arg(long, env = "GOVGRAPH_SOURCES")]
        sources: Option<PathBuf>,
    },
    /// The API alone: POST /graphql, GraphiQL on GET /graphql, GET /healthz.
    Serve {
        /// Address of the API.
        #[arg(long, env = "GOVGRAPH_BIND")]
        bind: Option<SocketAddr>,
    },
    /// The worker alone: runs every enabled source on its schedule; several workers share one
    /// database without running a source twice at once.
    Worker {
        /// The sources file.
        #[arg(long, env = "GOVGRAPH_SOURCES")]
        sources: Option<PathBuf>,
    },
    /// Harvests one source once and exits; non-zero when the source is unknown or unreachable.
    Harvest {
        /// The sources file.
        #[arg(long, env = "GOVGRAPH_SOURCES")]
        sources: Option<PathBuf>,
        /// The name of the source (its `name` in the sources file).
        #[arg(long)]
        source: String,
    },
    /// Lists the sources with their last run, its status, and their next run.
    Sources {
        /// The sources file.
        #[arg(long, env = "GOVGRAPH_SOURCES")]
        sources: Option<PathBuf>,
    },
    /// Runs extraction and tagging again over the archived raw responses, without fetching; a
    /// document whose text changes becomes a new version.
    Reparse {
        /// Only the documents of this source.
        #[arg(long)]
        source: Option<String>,
    },
    /// Applies the database migrations and loads the reference data.
    Migrate,
    /// Loads the reference data and the offline snapshot (all states, districts, municipal
    /// federations and municipalities of the Destatis register); a second run changes nothing.
    Bootstrap,
    /// Prints what the pipeline reads out of pages or text files, without storing anything.
    Extract {
        /// Files (HTML or plain text) or http(s) URLs.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// json: one pretty object (an array for several inputs); jsonl: one object per line.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Measures the tagging pipeline against a gold file: precision and recall per category
    /// (states, bodies, projects, entities by kind, relations by predicate; core and all).
    Eval {
        /// The gold file (the format of seeds.toml).
        #[arg(long)]
        gold: PathBuf,
        /// The folder holding the documents the gold file names.
        #[arg(long)]
        docs: PathBuf,
        /// Also print what was found in each document, as JSON lines.
        #[arg(long)]
        verbose: bool,
        /// Exit non-zero when core entity recall, entity precision or core relation recall fall
        /// below these floors (e.g. 0.9,0.8,0.7).
        #[arg(long, value_delimiter = ',')]
        floors: Option<Vec<f64>>,
    },
    /// Fills the database with a synthetic graph for load benchmarks (at scale 1: 100,000
    /// announcements, 12,000 actors, 2,000 agreements, 600 services, ~300,000 relations with
    /// evidence). Refuses a database that holds harvested announcements.
    BenchSeed {
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
    },
    /// Tags the stored documents again (states, entities, relations) with the current reference
    /// data and catalogues; nothing is duplicated.
    Retag {
        /// Only the documents of this source.
        #[arg(long)]
        source: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Jsonl,
}
