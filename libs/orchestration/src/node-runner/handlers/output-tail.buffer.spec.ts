import { OutputTailBuffer } from './output-tail.buffer';

describe('OutputTailBuffer', () => {
  it('keeps only the last bytes of a long output', () => {
    const tail = new OutputTailBuffer(10);
    for (let i = 0; i < 100; i++) tail.push(`line ${i}\n`);
    expect(tail.toString()).toBe('8\nline 99\n');
    expect(tail.total).toBe(
      Buffer.byteLength(Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('')),
    );
  });

  it('keeps everything below the limit', () => {
    const tail = new OutputTailBuffer(10);
    tail.push('ab');
    tail.push(Buffer.from('cd'));
    expect(tail.toString()).toBe('abcd');
  });

  it('does not start with half a multi-byte character', () => {
    const tail = new OutputTailBuffer(5);
    tail.push('ééé');
    expect(tail.toString()).toBe('éé');
  });
});
