package dev.bootsource.restore;

/** Where a restore test reports how many PVCs are Bound as time goes by. */
public interface RestoreProgress extends AutoCloseable {

    /** Called once, before the PVCs are created. */
    void started(int total);

    /** Called after every look at the PVCs. */
    void update(int bound, int failed, int total);

    @Override
    void close();

    RestoreProgress NONE = new RestoreProgress() {
        @Override
        public void started(int total) {
        }

        @Override
        public void update(int bound, int failed, int total) {
        }

        @Override
        public void close() {
        }
    };
}
