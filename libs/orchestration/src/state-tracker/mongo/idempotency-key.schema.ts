import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A claimed idempotency key in `trellis_idempotency_keys`: `_id` is `${graphId}:${key}`, so the
 * primary key makes the key unique per graph without a partial unique index or a transaction.
 */
@Schema({ collection: 'trellis_idempotency_keys', versionKey: false })
export class TrellisIdempotencyKey {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The execution created under the key. */
  @Prop({ type: String, required: true })
  executionId!: string;

  /** When it was claimed; retention removes keys older than `retentionMs`. */
  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

/** Mongoose schema of `TrellisIdempotencyKey`. */
export const TrellisIdempotencyKeySchema = SchemaFactory.createForClass(TrellisIdempotencyKey);
TrellisIdempotencyKeySchema.index({ createdAt: 1 });
