/**
 * A `driver: threads` channel in herald.yaml: the media server and the user
 * id are required, each reported at the channel's file:line:col.
 */
import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, errorsOf, problemAt, writeTempDir } from './helpers';

describe('config: a threads channel', () => {
  const herald = MINIMAL_HERALD.replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: threads, driver: threads, credentials: { accessToken: THREADS_ACCESS_TOKEN } }');

  it('requires the media server and the Threads user id, at file:line:col', () => {
    const dir = writeTempDir({ 'herald.yaml': herald, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 10, 28).message).toMatch(/the threads driver needs the media server: Threads fetches each image/);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 10, 5).message).toMatch(/a threads channel needs its user id: add accountId \(the Threads user id/);
  });

  it('is valid with both (the user id from an env variable will do)', () => {
    const dir = writeTempDir({
      'herald.yaml': `${herald.replace('THREADS_ACCESS_TOKEN }', 'THREADS_ACCESS_TOKEN, userId: THREADS_USER_ID }')}settings:\n  mediaServer: { publicBaseUrl: "https://media.example.go.id" }\n`,
      ...MINIMAL_TEMPLATES,
    });
    const { problems, config } = loadConfig(dir);
    expect(errorsOf(problems)).toEqual([]);
    expect(config!.offices[0]!.channels.find((c) => c.id === 'threads')).toMatchObject({ driver: 'threads', platform: 'threads', credentials: { userId: 'THREADS_USER_ID' } });
  });
});
