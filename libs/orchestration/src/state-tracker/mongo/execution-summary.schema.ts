import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/**
 * What lists need of an execution (`ExecutionSummary`), inserted once by its creator, in the
 * day partition `trellis_executions_<yyyymmdd>`; `_id` is the execution id.
 */
@Schema({ versionKey: false, minimize: false })
export class TrellisExecutionSummary {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  graphId!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  input!: Record<string, unknown>;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: String, default: null })
  idempotencyKey!: string | null;

  /** The instance that created it (recovery finds what an instance created after its last lease). */
  @Prop({ type: String, required: true })
  createdBy!: string;
}

/** Mongoose schema of `TrellisExecutionSummary`, with the indexes of lists and recovery. */
export const TrellisExecutionSummarySchema = SchemaFactory.createForClass(TrellisExecutionSummary);
TrellisExecutionSummarySchema.index({ graphId: 1, _id: -1 });
TrellisExecutionSummarySchema.index({ createdBy: 1, _id: 1 });
