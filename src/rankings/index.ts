// Daily rankings (通报): metrics in SQL, score and ranks, stored snapshots, the nightly job.
export { computeRanking, computeSnapshot, latestSnapshotDay, readRanking, DEFAULT_RULES, RANKING_GROUPS } from './snapshot.ts';
export type { RankedUnit, RankingGroup, RankingRow, RankingRules, RankingView } from './snapshot.ts';
export { daysToSnapshot, dayJustEnded, runDailyRankings } from './backfill.ts';
export { METRIC_KEYS, METRIC_LABELS, competitionRanks, scoreX100 } from './score.ts';
export type { MetricFigure, Metrics } from './score.ts';
