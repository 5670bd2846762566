export default function Loading() {
  return (
    <div className="page">
      <div className="skeleton" style={{ width: 280, height: 22 }} />
      <div className="skeleton" style={{ width: 180 }} />
      <div className="skeleton" style={{ width: "60%" }} />
    </div>
  );
}
