/** Entries one owner epoch can make before its tokens would run into the next epoch's. */
const EPOCH_SPAN = 2 ** 32;

/**
 * The fencing token of an attempt: its owner epoch, then its position in the journal. A later
 * owner always hands out greater tokens than an earlier one, whatever the earlier one did after
 * it lost the execution, and within one owner tokens grow with every attempt.
 */
export function fencingToken(epoch: number, seq: number): number {
  return epoch * EPOCH_SPAN + seq;
}
