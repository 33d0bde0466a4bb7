//! Feature `proto`: a plan with lognorm scans, shipped as bytes to a
//! session that has no lognorm registered and an empty registry, gives
//! the same answers there: the schema YAML and limits travel with it.

use std::sync::Arc;

use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::physical_plan::{ExecutionPlan, collect};
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion_proto::bytes::{
    logical_plan_from_bytes_with_extension_codec,
    logical_plan_to_bytes_with_extension_codec,
    physical_plan_from_bytes_with_extension_codec,
    physical_plan_to_bytes_with_extension_codec,
};
use lognorm::{Limits, Registry};
use lognorm_datafusion::LognormCodec;

use crate::util::{PARSE_TIME, json_path, lit, query, testdata};

/// The answer of `plan` run in `ctx`, as text.
async fn run(plan: Arc<dyn ExecutionPlan>, ctx: &SessionContext) -> String {
    let batches = collect(plan, ctx.task_ctx()).await.unwrap();
    pretty_format_batches(&batches).unwrap().to_string()
}

/// The queries of the tests, over `events` and `failures`.
pub const QUERIES: [&str; 4] = [
    "SELECT count(*) FROM events",
    "SELECT ip, count(*) FROM (SELECT unnest(p_any_ip_addresses) AS ip FROM events) \
     GROUP BY ip ORDER BY ip",
    "SELECT * FROM events WHERE p_event_time >= TIMESTAMP '2024-06-10T08:00:00Z' \
     ORDER BY p_row_id",
    "SELECT file, \"offset\", error FROM failures ORDER BY file, \"offset\"",
];

/// A session with Hex.Audit's `events` and `failures` over a folder of
/// good and bad files, from `registry`.
async fn sender(registry: &Arc<Registry>) -> SessionContext {
    let ctx = SessionContext::new_with_config(
        SessionConfig::new().with_target_partitions(2),
    );
    lognorm_datafusion::register(&ctx, Arc::clone(registry)).unwrap();
    create_tables(&ctx).await;
    ctx
}

/// Hex.Audit's `events` and `failures` over a folder of good and bad
/// files, in `ctx`.
pub async fn create_tables(ctx: &SessionContext) {
    let dir = testdata().join("logs/Hex.Audit");
    for (name, extra) in [("events", ""), ("failures", ", 'failures' 'true'")]
    {
        let sql = format!(
            "CREATE EXTERNAL TABLE {name} STORED AS LOGNORM LOCATION {} OPTIONS \
             ('log_type' 'Hex.Audit', 'parse_time' '{PARSE_TIME}', 'extension' 'jsonl'{extra})",
            lit(&dir)
        );
        query(ctx, &sql).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipped_scan_carries_its_schema_yaml_and_limits() {
    let yaml = std::fs::read_to_string(
        testdata().join("../crates/lognorm/schemas/Hex.Audit.yml"),
    )
    .unwrap();
    // Records over 200 bytes fail: the limit must travel too.
    let limits = Limits::new().max_record_bytes(200);
    let registry = Arc::new(
        Registry::builder()
            .limits(limits)
            .add_yaml("Hex.Audit.yml", &yaml)
            .unwrap()
            .build(),
    );
    let ctx = sender(&registry).await;
    let codec = LognormCodec::new(Arc::clone(&registry))
        .with_schema_yaml("Hex.Audit", &yaml);
    let remote = SessionContext::new();
    let remote_codec =
        LognormCodec::new(Arc::new(Registry::builder().build()));
    for sql in QUERIES {
        let plan =
            ctx.sql(sql).await.unwrap().create_physical_plan().await.unwrap();
        let want = run(Arc::clone(&plan), &ctx).await;
        let bytes =
            physical_plan_to_bytes_with_extension_codec(plan, &codec).unwrap();
        let shipped = physical_plan_from_bytes_with_extension_codec(
            &bytes,
            &remote.task_ctx(),
            &remote_codec,
        )
        .unwrap();
        assert_eq!(run(shipped, &remote).await, want, "{sql}");
    }
    // The limit made failures the default limits do not.
    let payload =
        std::fs::read(testdata().join("logs/Hex.Audit/realistic.jsonl"))
            .unwrap();
    let builtin = Registry::builtin();
    assert!(
        json_path(builtin.log_type("Hex.Audit").unwrap(), &payload)
            .errors
            .is_empty()
    );
    let limited = json_path(registry.log_type("Hex.Audit").unwrap(), &payload);
    assert!(!limited.errors.is_empty());
    let plan = ctx
        .sql(
            "SELECT count(*) FROM failures WHERE file LIKE '%realistic.jsonl'",
        )
        .await
        .unwrap()
        .create_physical_plan()
        .await
        .unwrap();
    let bytes =
        physical_plan_to_bytes_with_extension_codec(plan, &codec).unwrap();
    let shipped = physical_plan_from_bytes_with_extension_codec(
        &bytes,
        &remote.task_ctx(),
        &remote_codec,
    )
    .unwrap();
    assert!(
        run(shipped, &remote)
            .await
            .contains(&format!("| {} ", limited.errors.len())),
        "{} failures expected",
        limited.errors.len()
    );
}

/// Without YAML, the receiving codec's registry must hold the log type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_without_yaml_uses_the_receivers_registry() {
    let registry = Arc::new(Registry::builtin());
    let ctx = sender(&registry).await;
    let codec = LognormCodec::new(Arc::clone(&registry));
    let remote = SessionContext::new();
    let plan = ctx
        .sql(QUERIES[2])
        .await
        .unwrap()
        .create_physical_plan()
        .await
        .unwrap();
    let want = run(Arc::clone(&plan), &ctx).await;
    let bytes =
        physical_plan_to_bytes_with_extension_codec(plan, &codec).unwrap();
    let shipped = physical_plan_from_bytes_with_extension_codec(
        &bytes,
        &remote.task_ctx(),
        &LognormCodec::new(Arc::new(Registry::builtin())),
    )
    .unwrap();
    assert_eq!(run(shipped, &remote).await, want);
    let err = physical_plan_from_bytes_with_extension_codec(
        &bytes,
        &remote.task_ctx(),
        &LognormCodec::new(Arc::new(Registry::builder().build())),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Error during planning: expected a log type of the registry (), found `Hex.Audit`"
    );
}

/// The way Ballista runs a query: the logical plan goes to a scheduler
/// (here a session with no lognorm and an empty registry), which plans
/// it and sends the physical plan to an executor (another such session);
/// the answers are the local ones, for tables made by `CREATE EXTERNAL
/// TABLE` and by `read_logs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logical_plan_ships_to_a_scheduler_and_on_to_an_executor() {
    let yaml = std::fs::read_to_string(
        testdata().join("../crates/lognorm/schemas/Hex.Audit.yml"),
    )
    .unwrap();
    let registry = Arc::new(
        Registry::builder()
            .limits(Limits::new().max_record_bytes(200))
            .add_yaml("Hex.Audit.yml", &yaml)
            .unwrap()
            .build(),
    );
    let ctx = sender(&registry).await;
    let codec = LognormCodec::new(Arc::clone(&registry))
        .with_schema_yaml("Hex.Audit", &yaml);
    let scheduler = SessionContext::new();
    let executor = SessionContext::new();
    let empty = LognormCodec::new(Arc::new(Registry::builder().build()));
    let executor_codec =
        LognormCodec::new(Arc::new(Registry::builder().build()));
    let glob = lit(&testdata().join("logs/Hex.Audit/*.jsonl"));
    let ad_hoc = format!(
        "SELECT count(*), min(p_event_time) FROM read_logs({glob}, 'Hex.Audit')"
    );
    let failures = format!(
        "SELECT error FROM read_logs({glob}, 'Hex.Audit', 'failures') ORDER BY error"
    );
    let mut queries: Vec<&str> = QUERIES.to_vec();
    queries.push(&ad_hoc);
    queries.push(&failures);
    for sql in queries {
        let logical =
            ctx.sql(sql).await.unwrap().into_optimized_plan().unwrap();
        let want = run(
            ctx.state().create_physical_plan(&logical).await.unwrap(),
            &ctx,
        )
        .await;
        let bytes =
            logical_plan_to_bytes_with_extension_codec(&logical, &codec)
                .unwrap();
        let logical = logical_plan_from_bytes_with_extension_codec(
            &bytes,
            &scheduler.task_ctx(),
            &empty,
        )
        .unwrap();
        let physical =
            scheduler.state().create_physical_plan(&logical).await.unwrap();
        // The scheduler's codec was told no YAML: a scan leaves with the
        // YAML it came with.
        let bytes =
            physical_plan_to_bytes_with_extension_codec(physical, &empty)
                .unwrap();
        let physical = physical_plan_from_bytes_with_extension_codec(
            &bytes,
            &executor.task_ctx(),
            &executor_codec,
        )
        .unwrap();
        assert_eq!(run(physical, &executor).await, want, "{sql}");
    }
}
