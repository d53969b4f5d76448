/* vmm_events: libvirt lifecycle events and the periodic resync, turned into
 * VM-MIB notifications.
 *
 * An event updates the machine's state at once (the cache is marked expired,
 * so a GET right after a notification shows the new state).  The resync —
 * right after every (re)connection and every VMM_RESYNC_SECONDS — compares a
 * fresh snapshot with the states last announced and reports what no event
 * did (e.g. while libvirtd was restarting).  Without an event loop of our
 * own (another component owns libvirt's), the resync alone does the work. */
#ifndef VMM_EVENTS_H
#define VMM_EVENTS_H

#include <stdbool.h>

#define VMM_RESYNC_SECONDS 60

int vmm_events_start(bool have_event_loop);
void vmm_events_shutdown(void);

/* vmm_conn listener part: register/deregister the event callback. */
void vmm_events_connection_changed(bool up);

#endif
