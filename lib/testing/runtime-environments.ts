/**
 * Helpers for the runtime's server tests: temporary instance folders, seed databases from SQL, and
 * tiny AWM-style FastAPI environments written for the tests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startInstance, type EnvironmentInstance, type StartInstanceOptions } from "../runtime/instance.ts";

export interface RuntimeTestContext {
  root: string;
  /** Starts an instance in a fresh folder under `root`; it is stopped by `cleanup`. */
  start(code: string, seedDbFile: string, options?: Partial<StartInstanceOptions>): Promise<EnvironmentInstance>;
  seedDatabase(sql: string): string;
  cleanup(): Promise<void>;
}

export function runtimeTestContext(prefix: string): RuntimeTestContext {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const started: EnvironmentInstance[] = [];
  let count = 0;
  return {
    root,
    async start(code, seedDbFile, options = {}) {
      count += 1;
      const instance = await startInstance({ code, seedDbFile, dir: path.join(root, `instance-${count}`), ...options });
      started.push(instance);
      return instance;
    },
    seedDatabase(sql) {
      count += 1;
      const file = path.join(root, `seed-${count}.db`);
      const db = new Database(file);
      db.exec(sql);
      db.close();
      return file;
    },
    async cleanup() {
      await Promise.all(started.map((instance) => instance.stop()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** AWM-style preamble: engine from DATABASE_PATH, declarative models, session per request. */
const PREAMBLE = `
import os
from typing import List, Optional
from fastapi import FastAPI, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, Float, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_PATH = os.environ.get("DATABASE_PATH")
if not DATABASE_PATH:
    DATABASE_PATH = "sqlite:///xxxx.db"
engine = create_engine(DATABASE_PATH, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine, autocommit=False, autoflush=False)
Base = declarative_base()
app = FastAPI(title="Test environment")
`;

/** AWM's generated files end like this; the launcher must not let it fire. */
const MAIN_BLOCK = `
if __name__ == "__main__":
    import uvicorn
    uvicorn.run(app, host="127.0.0.1", port=8000)
`;

export function awmEnvironment(body: string): string {
  return `${PREAMBLE}\n${body}\n${MAIN_BLOCK}`;
}

export const SHOP_SEED_SQL = `
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL, stock INTEGER NOT NULL);
INSERT INTO products VALUES (1, 'Mug', 8.5, 10), (2, 'Plate', 12.0, 4), (3, 'Bowl', 9.0, 0);
`;

/** A shop over SHOP_SEED_SQL with read and write endpoints, pydantic 2 idioms and a nested body model. */
export const SHOP_ENVIRONMENT = awmEnvironment(`
class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    price = Column(Float, nullable=False)
    stock = Column(Integer, nullable=False)

class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    price: float
    stock: int

class ProductList(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    products: List[ProductOut]

class Dimensions(BaseModel):
    width_cm: float = Field(..., description="Package width")
    height_cm: Optional[float] = None

class CreateProductRequest(BaseModel):
    name: str = Field(..., description="Product name")
    price: float = Field(..., description="Unit price in USD")
    stock: int = Field(0, description="Units on hand")
    dimensions: Optional[Dimensions] = Field(None, description="Package size")

@app.get("/api/products", operation_id="list_products", summary="List products", description="Products by id, optionally under a price.", response_model=ProductList)
def list_products(limit: int = Query(..., description="How many"), max_price: Optional[float] = Query(None, description="Upper price bound")):
    session = SessionLocal()
    query = session.query(Product)
    if max_price is not None:
        query = query.filter(Product.price <= max_price)
    result = ProductList(products=[ProductOut.model_validate(row) for row in query.order_by(Product.id).limit(limit).all()])
    session.close()
    return result

@app.get("/api/products/{product_id}", operation_id="get_product", summary="Get one product", response_model=ProductOut)
def get_product(product_id: int = Path(..., description="Product id")):
    session = SessionLocal()
    product = session.query(Product).filter(Product.id == product_id).first()
    session.close()
    if product is None:
        raise HTTPException(status_code=404, detail="product not found")
    return product

@app.post("/api/products", operation_id="create_product", summary="Create a product", response_model=ProductOut)
def create_product(req: CreateProductRequest):
    session = SessionLocal()
    product = Product(name=req.name, price=req.price, stock=req.stock)
    session.add(product)
    session.commit()
    session.refresh(product)
    result = ProductOut.model_validate(product)
    session.close()
    return result

@app.patch("/api/products/{product_id}/stock", operation_id="adjust_stock", summary="Change the stock of a product", response_model=ProductOut)
def adjust_stock(product_id: int, delta: int = Query(..., description="Units to add (negative to remove)")):
    session = SessionLocal()
    product = session.query(Product).filter(Product.id == product_id).first()
    product.stock = product.stock + delta
    session.commit()
    session.refresh(product)
    session.close()
    return product
`);

/** Whether a process id is still alive (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the condition holds or the wait runs out (callers assert afterwards). */
export async function eventually(condition: () => boolean, waitMs = 3_000): Promise<void> {
  for (const deadline = Date.now() + waitMs; !condition() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
}
