import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { ExecutionCreation } from '../journal/journal-page.interface';
import { StoredEntry } from './journal-entry.codec';

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

  /** The sequence number of the first entry; the others follow one by one. */
  @Prop({ type: Number, required: true })
  firstSeq!: number;

  /** Who made the entries that do not say otherwise. */
  @Prop({ type: String, required: true })
  by!: string;

  /** The entries in their stored form (see `journal-entry.codec.ts`). */
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  entries!: StoredEntry[];
}

/** Mongoose schema of `TrellisJournalPage`. */
export const TrellisJournalPageSchema = SchemaFactory.createForClass(TrellisJournalPage);
