import { RollingCounter } from './rolling-counter';

const T0 = Date.UTC(2026, 10, 26, 10, 15, 0);

describe('RollingCounter', () => {
  it('counts nothing before any event', () => {
    expect(new RollingCounter(60).total(T0)).toBe(0);
  });

  it('counts every event of the same second', () => {
    const counter = new RollingCounter(60);
    for (let i = 0; i < 5; i++) counter.add(T0 + i * 100);
    expect(counter.total(T0 + 999)).toBe(5);
  });

  it('keeps an event for the whole window and drops it once the window has passed', () => {
    const counter = new RollingCounter(60);
    counter.add(T0);
    expect(counter.total(T0)).toBe(1);
    expect(counter.total(T0 + 59_999)).toBe(1);
    expect(counter.total(T0 + 60_000)).toBe(0);
  });

  it('sums events spread over the window and forgets the oldest seconds first', () => {
    const counter = new RollingCounter(60);
    for (let s = 0; s < 60; s++) counter.add(T0 + s * 1000);
    expect(counter.total(T0 + 59_500)).toBe(60);
    expect(counter.total(T0 + 60_500)).toBe(59);
    expect(counter.total(T0 + 89_500)).toBe(30);
    expect(counter.total(T0 + 119_500)).toBe(0);
  });

  it('reuses the bucket of a second that has left the window without carrying its count', () => {
    const counter = new RollingCounter(60);
    counter.add(T0);
    counter.add(T0);
    counter.add(T0 + 60_000);
    expect(counter.total(T0 + 60_000)).toBe(1);
  });

  it('honours a window of another length', () => {
    const counter = new RollingCounter(5);
    counter.add(T0);
    counter.add(T0 + 4_000);
    expect(counter.total(T0 + 4_000)).toBe(2);
    expect(counter.total(T0 + 5_000)).toBe(1);
  });

  it('does not lose recent events when a late event older than the window arrives', () => {
    const counter = new RollingCounter(60);
    counter.add(T0 + 60_000);
    counter.add(T0 + 60_000);
    counter.add(T0);
    expect(counter.total(T0 + 60_000)).toBe(2);
  });

  it('uses the clock when no time is given', () => {
    const counter = new RollingCounter(60);
    counter.add();
    counter.add();
    expect(counter.total()).toBe(2);
  });
});
