//! Feature `ballista`: a standalone Ballista scheduler and executor,
//! in-process on loopback, run the SQL of the local tests over the
//! shipped samples, and the answers are the local ones.

use std::sync::Arc;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::serde::{
    BallistaLogicalExtensionCodec, BallistaPhysicalExtensionCodec,
};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use lognorm::Registry;
use lognorm_datafusion::LognormCodec;

use crate::proto::{QUERIES, create_tables};
use crate::util::{lit, session, testdata, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ballista_gives_the_local_answers() {
    let registry = Arc::new(Registry::builtin());
    let codec =
        Arc::new(LognormCodec::new(Arc::clone(&registry)).with_fallback(
            Arc::new(BallistaLogicalExtensionCodec::default()),
            Arc::new(BallistaPhysicalExtensionCodec::default()),
        ));
    let config = SessionConfig::new_with_ballista()
        .with_target_partitions(2)
        .with_ballista_logical_extension_codec(codec.clone())
        .with_ballista_physical_extension_codec(codec);
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    let cluster = SessionContext::standalone_with_state(state).await.unwrap();
    lognorm_datafusion::register(&cluster, Arc::clone(&registry)).unwrap();
    create_tables(&cluster).await;
    let local = session(2);
    create_tables(&local).await;

    let glob = lit(&testdata().join("logs/Hex.Audit/*.jsonl"));
    let ad_hoc = format!(
        "SELECT count(*), min(p_event_time) FROM read_logs({glob}, 'Hex.Audit')"
    );
    let mut queries: Vec<&str> = QUERIES.to_vec();
    queries.push(&ad_hoc);
    for sql in queries {
        let want = text(&local, sql).await;
        assert!(want.lines().count() > 4, "{sql}: {want}");
        assert_eq!(text(&cluster, sql).await, want, "{sql}");
    }
}
