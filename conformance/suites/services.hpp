// Conformance category Services (see suites/services/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/services/lifetime.hpp"
#include "suites/services/registry.hpp"

namespace conformance::services {

REGISTER_TYPED_TEST_SUITE_P(Services, UseServiceCreatesTheServiceOnFirstUseOnly,
                            UseServiceThroughAnExecutionContextConstructsFromIt,
                            MakeServicePassesArgumentsAndRefusesASecond,
                            AddServiceAdoptsAndRefusesATakenKey,
                            AddServiceOfAnotherContextThrowsInvalidServiceOwner,
                            ServiceKeyIsItsIdMemberOrElseItsType, EachContextHasItsOwnServices,
                            IoContextServiceKnowsItsIoContext, FourThreadsAskingAtOnceGetOneService,
                            ShutdownNewestFirstThenDestructionNewestFirst,
                            EveryServiceShutsDownBeforeQueuedHandlersAreDestroyed,
                            PendingWaitsAreDestroyedInTheReactorsPlace,
                            ServiceMadeInAnothersConstructorIsTheOlder,
                            NotifyForkReachesEveryServiceInOrder);

}  // namespace conformance::services
