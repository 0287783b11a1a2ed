import { SampleWindow } from './sample-window';

describe('SampleWindow', () => {
  it('summarizes an empty window as a zero count and null figures', () => {
    expect(new SampleWindow(10).summary()).toEqual({
      count: 0,
      p50Ms: null,
      p95Ms: null,
      maxMs: null,
    });
  });

  it('summarizes one sample as itself', () => {
    const window = new SampleWindow(10);
    window.add(42);
    expect(window.summary()).toEqual({ count: 1, p50Ms: 42, p95Ms: 42, maxMs: 42 });
  });

  it('gives nearest-rank percentiles of 1..100 added in shuffled order', () => {
    const window = new SampleWindow(1000);
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    for (let i = values.length - 1; i > 0; i--) {
      const j = (i * 37) % (i + 1);
      [values[i], values[j]] = [values[j], values[i]];
    }
    for (const value of values) window.add(value);
    expect(window.summary()).toEqual({ count: 100, p50Ms: 50, p95Ms: 95, maxMs: 100 });
  });

  it('orders samples by value, not as text', () => {
    const window = new SampleWindow(10);
    for (const value of [9, 100, 20, 3]) window.add(value);
    expect(window.summary()).toEqual({ count: 4, p50Ms: 9, p95Ms: 100, maxMs: 100 });
  });

  it('keeps fractional milliseconds', () => {
    const window = new SampleWindow(10);
    window.add(0.25);
    window.add(1.5);
    expect(window.summary()).toMatchObject({ p50Ms: 0.25, maxMs: 1.5 });
  });

  it('keeps only the last `size` samples once full', () => {
    const window = new SampleWindow(3);
    for (const value of [1000, 2, 3, 4]) window.add(value);
    expect(window.summary()).toEqual({ count: 3, p50Ms: 3, p95Ms: 4, maxMs: 4 });
  });

  it('keeps the last 1,000 samples by default', () => {
    const window = new SampleWindow();
    for (let i = 1; i <= 1500; i++) window.add(i);
    expect(window.summary()).toEqual({ count: 1000, p50Ms: 1000, p95Ms: 1450, maxMs: 1500 });
  });
});
