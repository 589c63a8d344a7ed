package io.loomcache.loadgen.wire;

import java.util.ArrayList;
import java.util.List;

/** Collects responses as "correlationId:outcome:errorCode" strings. */
final class RecordingListener implements ResponseListener {
    final List<String> responses = new ArrayList<>();

    @Override
    public void onResponse(final long correlationId, final int outcome, final int errorCode) {
        responses.add(correlationId + ":" + outcome + ":" + errorCode);
    }
}
