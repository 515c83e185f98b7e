import { resolveMetricsToken } from '../../src/web/metrics-access';

describe('web/metrics-access: the /metrics token from the environment', () => {
  it('is the value of the variable settings.web.metricsToken names; none when not configured', () => {
    expect(resolveMetricsToken('METRICS_TOKEN', { METRICS_TOKEN: ' 0123456789abcdef0123 ' })).toEqual({ token: '0123456789abcdef0123' });
    expect(resolveMetricsToken(undefined, { METRICS_TOKEN: '0123456789abcdef0123' })).toEqual({ token: null });
  });

  it('a variable that is not set, or a token short enough to guess, leaves /metrics to loopback and says so', () => {
    expect(resolveMetricsToken('METRICS_TOKEN', {})).toEqual({ token: null, problem: expect.stringMatching(/names METRICS_TOKEN, which is not set: \/metrics answers loopback only/) });
    expect(resolveMetricsToken('METRICS_TOKEN', { METRICS_TOKEN: 'hunter2' })).toEqual({ token: null, problem: expect.stringMatching(/shorter than 16 characters/) });
  });
});
