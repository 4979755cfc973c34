import { z } from "zod";
import { IdSchema, IsoDateSchema, SlugSchema } from "./common.js";

export const DepartmentSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string().nullable(),
  createdAt: IsoDateSchema,
});
export type Department = z.infer<typeof DepartmentSchema>;

export const CreateDepartmentBodySchema = z.object({
  name: z.string().trim().min(2).max(80),
  description: z.string().trim().max(500).nullable().optional(),
});
export type CreateDepartmentBody = z.infer<typeof CreateDepartmentBodySchema>;
export const UpdateDepartmentBodySchema = CreateDepartmentBodySchema.partial();

export const CategorySchema = z.object({
  id: IdSchema,
  slug: SlugSchema,
  name: z.string(),
  departmentId: IdSchema.nullable(),
  createdAt: IsoDateSchema,
});
export type Category = z.infer<typeof CategorySchema>;

export const CreateCategoryBodySchema = z.object({
  slug: SlugSchema,
  name: z.string().trim().min(2).max(80),
  departmentId: IdSchema.nullable().optional(),
});
export type CreateCategoryBody = z.infer<typeof CreateCategoryBodySchema>;
export const UpdateCategoryBodySchema = CreateCategoryBodySchema.omit({ slug: true }).partial();
