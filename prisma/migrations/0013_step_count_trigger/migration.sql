-- A trajectory's stepCount follows its steps as they are inserted: an agent turn writes its step in
-- one statement instead of two (the second was a whole Prisma round trip on the studio's event loop,
-- per step). A migration that rebuilds "TrajectoryStep" must create this trigger again.
CREATE TRIGGER "TrajectoryStep_stepCount" AFTER INSERT ON "TrajectoryStep"
BEGIN
  UPDATE "Trajectory" SET "stepCount" = max("stepCount", NEW."ordinal" + 1) WHERE "id" = NEW."trajectoryId";
END;
