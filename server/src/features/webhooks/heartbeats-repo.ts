import type pg from 'pg'

/** The delivery workers' heartbeats, on the pool graphile-worker runs on. */
export function createHeartbeatsRepo(pool: pg.Pool) {
  return {
    async beat(workerIds: string[]): Promise<void> {
      await pool.query(
        `insert into worker_heartbeats (worker_id, last_seen)
         select id, now() from unnest($1::text[]) as id
         on conflict (worker_id) do update set last_seen = now()`,
        [workerIds],
      )
    },

    /** Workers holding jobs without a heartbeat for this long (or ever). */
    async lockersSilentFor(seconds: number): Promise<string[]> {
      const { rows } = await pool.query<{ locked_by: string }>(
        `select distinct j.locked_by from graphile_worker._private_jobs j
       where j.locked_by is not null
         and not exists (select 1 from worker_heartbeats h where h.worker_id = j.locked_by and h.last_seen > now() - make_interval(secs => $1))`,
        [seconds],
      )
      return rows.map((r) => r.locked_by)
    },

    async pruneOld(): Promise<void> {
      await pool.query(`delete from worker_heartbeats where last_seen < now() - interval '1 day'`)
    },

    async forget(workerIds: string[]): Promise<void> {
      await pool.query('delete from worker_heartbeats where worker_id = any($1::text[])', [workerIds])
    },
  }
}
