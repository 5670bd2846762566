import { tinyShopRecords, type TinyShop } from "./awm-fixture.ts";

/**
 * Code that declares the `notes` table as an ORM model and runs `create_all` at start-up, as AWM's
 * generated code does: inserted before the `__main__` block of the tiny shop's code.
 */
const NOTES_MODEL = `
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, nullable=False)
    body = Column(String(200), nullable=False)


Base.metadata.create_all(engine)
`;

/**
 * The tiny shop with a third table, `notes`, whose CREATE TABLE is cut off mid-way: its index and
 * both of its INSERTs fail, while the code's `create_all` makes the table when an instance starts.
 */
export function cutOffNotesShop(scenario = "Notes Shop"): TinyShop {
  const shop = tinyShopRecords(scenario);
  shop.schema.db_schema.tables.push({
    name: "notes",
    ddl: "CREATE TABLE notes (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES prod",
    indexes: ["CREATE INDEX idx_notes_product ON notes(product_id);"],
  });
  shop.seed.sample_data.tables.push({
    table_name: "notes",
    reasoning: "notes on the seed products",
    insert_statements: ["INSERT INTO notes (id, product_id, body) VALUES (1, 1, 'Chipped rim');", "INSERT INTO notes (id, product_id, body) VALUES (2, 2, 'Restock in May');"],
  });
  shop.seed.tables_count = 3;
  shop.seed.inserts_count = 5;
  const marker = "\n\nif __name__";
  if (!shop.code.full_code.includes(marker)) throw new Error("tiny shop fixture code changed: no `if __name__` block to insert the notes model before");
  shop.code.full_code = shop.code.full_code.replace(marker, `\n${NOTES_MODEL}${marker}`);
  return shop;
}
