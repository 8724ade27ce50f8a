import type { Pool } from './pool';

/** A registered endpoint as admins see it: never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  createdBy: string;
  createdAt: string;
  disabledAt: string | null;
}

interface EndpointRow {
  id: string;
  url: string;
  secret: string;
  events: string[];
  created_by: string;
  created_at: Date;
  disabled_at: Date | null;
}

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({ id: r.id, url: r.url, events: r.events, createdBy: r.created_by, createdAt: r.created_at.toISOString(), disabledAt: r.disabled_at?.toISOString() ?? null });

export async function insertWebhookEndpoint(pool: Pool, e: { url: string; secret: string; events: string[]; createdBy: string }): Promise<WebhookEndpoint> {
  const { rows } = await pool.query<EndpointRow>('INSERT INTO webhook_endpoints (url, secret, events, created_by) VALUES ($1, $2, $3, $4) RETURNING *', [e.url, e.secret, e.events, e.createdBy]);
  return toEndpoint(rows[0]);
}

export async function listWebhookEndpoints(pool: Pool): Promise<WebhookEndpoint[]> {
  const { rows } = await pool.query<EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at DESC LIMIT 200');
  return rows.map(toEndpoint);
}

/** Endpoints that receive events now (id and events only: what the emitters need). */
export async function listActiveWebhookSubscriptions(pool: Pool): Promise<{ id: string; events: string[] }[]> {
  const { rows } = await pool.query<{ id: string; events: string[] }>('SELECT id, events FROM webhook_endpoints WHERE disabled_at IS NULL');
  return rows;
}

/** What a delivery needs: URL and secret, or null when the endpoint is gone or disabled. */
export async function findWebhookTarget(pool: Pool, id: string): Promise<{ url: string; secret: string } | null> {
  const { rows } = await pool.query<{ url: string; secret: string }>('SELECT url, secret FROM webhook_endpoints WHERE id = $1 AND disabled_at IS NULL', [id]);
  return rows[0] ?? null;
}

/** Disables an endpoint (its log stays readable); false when no enabled endpoint has this id. */
export async function disableWebhookEndpoint(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL', [id]);
  return (rowCount ?? 0) > 0;
}

export type DeliveryStatus = 'retrying' | 'delivered' | 'failed' | 'refused';

export interface WebhookDelivery {
  id: string;
  event: string;
  commentId: string | null;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Records one attempt of a delivery (the row is made by its first attempt). */
export async function recordWebhookAttempt(
  pool: Pool,
  d: { id: string; endpointId: string; event: string; commentId: string | null; status: DeliveryStatus; attempts: number; responseCode: number | null; error: string | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO webhook_deliveries (id, endpoint_id, event, comment_id, status, attempts, response_code, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, response_code = EXCLUDED.response_code,
       error = EXCLUDED.error, updated_at = now()`,
    [d.id, d.endpointId, d.event, d.commentId, d.status, d.attempts, d.responseCode, d.error],
  );
}

export async function listWebhookDeliveries(pool: Pool, endpointId: string, limit = 100): Promise<WebhookDelivery[]> {
  const { rows } = await pool.query(
    'SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id LIMIT $2',
    [endpointId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    commentId: r.comment_id,
    status: r.status,
    attempts: r.attempts,
    responseCode: r.response_code,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}
