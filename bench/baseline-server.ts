import express from 'express';

/**
 * The ingest baseline: a bare Express 5 app that parses the same JSON as POST /api/comments and
 * answers 202, nothing else. Run as its own process by bench/run.ts (PORT from the environment);
 * the API's ingest figure is reported as a ratio of this one, measured in the same run.
 */
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '300kb' }));
app.post('/api/comments', (_req, res) => {
  res.status(202).json({ status: 'queued' });
});
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
