import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { ErrorInfo } from '../execution-store.interface';
import { ExecutionStatus } from '../status.enum';
import { TrellisTransition, TrellisTransitionSchema } from './transition.schema';

/** A stored execution (`ExecutionRecord`) in `trellis_executions`; `_id` is the execution id. */
@Schema({ collection: 'trellis_executions', versionKey: false, minimize: false })
export class TrellisExecution {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  graphId!: string;

  @Prop({ type: String, required: true, enum: Object.values(ExecutionStatus) })
  status!: ExecutionStatus;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  input!: Record<string, unknown>;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  error!: ErrorInfo | null;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  startedAt!: Date | null;

  @Prop({ type: Date, default: null })
  completedAt!: Date | null;

  /** Our own optimistic-concurrency version (mongoose's `__v` is off). */
  @Prop({ type: Number, required: true })
  version!: number;

  @Prop({ type: String, default: null })
  owner!: string | null;

  @Prop({ type: Date, default: null })
  heartbeatAt!: Date | null;

  /** Uniqueness per graph is enforced by `trellis_idempotency_keys`, not by an index here. */
  @Prop({ type: String, default: null })
  idempotencyKey!: string | null;

  @Prop({ type: [TrellisTransitionSchema], default: [] })
  history!: TrellisTransition[];
}

/** Mongoose schema of `TrellisExecution`, with the indexes of listing, claiming and cleanup. */
export const TrellisExecutionSchema = SchemaFactory.createForClass(TrellisExecution);
TrellisExecutionSchema.index({ status: 1 });
TrellisExecutionSchema.index({ graphId: 1, _id: -1 });
TrellisExecutionSchema.index({ completedAt: 1 });
