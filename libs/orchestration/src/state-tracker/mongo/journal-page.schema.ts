import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { JournalEntry } from '../journal/journal-entry.interface';
import { ExecutionCreation } from '../journal/journal-page.interface';

/**
 * One page of an execution's journal (`JournalPage`) in the day partition
 * `trellis_journal_<yyyymmdd>` of the execution's creation. `_id` is
 * `<executionId>:<page, 10 digits>`: the unique key every exclusion rests on, and the order of
 * an `_id` range read.
 */
@Schema({ versionKey: false, minimize: false })
export class TrellisJournalPage {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  executionId!: string;

  @Prop({ type: Number, required: true })
  page!: number;

  /** The writing process's incarnation. */
  @Prop({ type: String, required: true })
  writer!: string;

  @Prop({ type: Date, required: true })
  at!: Date;

  /** Page 0 only. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  creation?: ExecutionCreation;

  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  entries!: JournalEntry[];
}

/** Mongoose schema of `TrellisJournalPage`. */
export const TrellisJournalPageSchema = SchemaFactory.createForClass(TrellisJournalPage);
