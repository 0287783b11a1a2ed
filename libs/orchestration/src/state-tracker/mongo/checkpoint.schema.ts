import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { ExecutionRecord } from '../execution-record.interface';
import { CheckpointNode } from '../journal/journal-page.interface';

/**
 * A checkpoint of an execution (`ExecutionCheckpoint`) in the day partition
 * `trellis_checkpoints_<yyyymmdd>`; `_id` is `<executionId>:<page, 10 digits>`, so the latest
 * is the last of an `_id` range.
 */
@Schema({ versionKey: false, minimize: false })
export class TrellisCheckpoint {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  executionId!: string;

  @Prop({ type: Number, required: true })
  page!: number;

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  record!: Omit<ExecutionRecord, 'history'>;

  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  nodes!: CheckpointNode[];

  @Prop({ type: [String], required: true })
  commands!: string[];
}

/** Mongoose schema of `TrellisCheckpoint`. */
export const TrellisCheckpointSchema = SchemaFactory.createForClass(TrellisCheckpoint);
