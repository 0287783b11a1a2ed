import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { ErrorInfo } from '../execution-record.interface';
import { ExecutionStatus } from '../status.enum';

/**
 * An execution's status after one of its transitions (`ExecutionOutcome`), inserted once the
 * transition is in the journal, in the day partition `trellis_outcomes_<yyyymmdd>`;
 * `_id` is `<executionId>:<seq, 10 digits>`.
 */
@Schema({ versionKey: false, minimize: false })
export class TrellisExecutionOutcome {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  executionId!: string;

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: String, required: true, enum: Object.values(ExecutionStatus) })
  status!: ExecutionStatus;

  @Prop({ type: Date, required: true })
  at!: Date;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  error!: ErrorInfo | null;
}

/** Mongoose schema of `TrellisExecutionOutcome`. */
export const TrellisExecutionOutcomeSchema = SchemaFactory.createForClass(TrellisExecutionOutcome);
TrellisExecutionOutcomeSchema.index({ executionId: 1 });
