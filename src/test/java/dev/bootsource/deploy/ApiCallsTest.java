package dev.bootsource.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests become the authorization attributes the API server derives from them. */
class ApiCallsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET    | /apis/storage.k8s.io/v1/storageclasses                                   | list storage.k8s.io/storageclasses
            GET    | /apis/storage.k8s.io/v1/storageclasses?watch=true&resourceVersion=5      | watch storage.k8s.io/storageclasses
            GET    | /apis/cdi.kubevirt.io/v1beta1/storageprofiles/hyperdisk                  | get cdi.kubevirt.io/storageprofiles named hyperdisk
            PATCH  | /apis/cdi.kubevirt.io/v1beta1/storageprofiles/hyperdisk                  | patch cdi.kubevirt.io/storageprofiles named hyperdisk
            POST   | /api/v1/namespaces/default/events                                        | create core/events in default
            DELETE | /apis/snapshot.storage.k8s.io/v1/namespaces/os/volumesnapshots/f-1       | delete snapshot.storage.k8s.io/volumesnapshots in os named f-1
            DELETE | /apis/snapshot.storage.k8s.io/v1/namespaces/os/volumesnapshots           | deletecollection snapshot.storage.k8s.io/volumesnapshots in os
            PUT    | /api/v1/namespaces/bootsource/secrets/tls                                | update core/secrets in bootsource named tls
            PUT    | /api/v1/namespaces/os/persistentvolumeclaims/p/status                    | update core/persistentvolumeclaims/status in os named p
            GET    | /api/v1/namespaces/bootsource                                            | get core/namespaces named bootsource
            GET    | /apis                                                                    | -
            GET    | /apis/cdi.kubevirt.io/v1beta1                                            | -
            GET    | /version                                                                 | -
            """)
    void parse(String method, String path, String expected) {
        assertThat(ApiCalls.parse(method, path).map(ApiCalls.ApiCall::toString).orElse(null)).isEqualTo(expected);
    }
}
