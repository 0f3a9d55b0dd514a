/*
 * flat.h: the "flat" index access method, an exact brute-force index.
 *
 * On-disk layout.  Block 0 is the metapage.  Blocks 1.. hold one stream of
 * fixed-size records, slot i at byte i * recsize of the stream, which runs
 * through the data area of each page in turn (FLAT_PAGE_DATA bytes a page).
 * A record is an 8-byte header (heap TID, flags) followed by the vector,
 * padded to 8 bytes.  Records span pages: two 3 kB vectors a page would
 * leave a quarter of each page empty, a stream wastes only the page
 * headers (24 + 8 bytes of 8 kB) and the record headers (8 bytes a
 * vector), so 768 float32 take 1.007x and 128 float32 1.02x their raw bytes.
 *
 * Since recsize and FLAT_PAGE_DATA are multiples of 8, a header never
 * spans a page; only the vector can, over any number of pages (at most
 * FLAT_MAX_SPAN_PAGES).  A writer locks every page of the record
 * exclusively, in ascending block order, and writes all of them before it
 * releases any.  A reader of a spanning record holds the share lock of its
 * first page while it share-locks the following ones one at a time, in the
 * same order, so it never sees half a record and holds at most two locks.
 *
 * Writers: aminsert holds the metapage exclusively (inserts are serial),
 * reuses a slot that VACUUM freed or appends one, and writes metapage and
 * record pages in one generic WAL record.  VACUUM marks dead records
 * FLAT_DEAD page by page and trims dead slots off the end of the stream.
 */
#ifndef DOTEXT_FLAT_H
#define DOTEXT_FLAT_H

#include "postgres.h"

#include "access/amapi.h"
#include "access/generic_xlog.h"
#include "access/relscan.h"
#include "nodes/execnodes.h"
#include "storage/bufmgr.h"
#include "storage/itemptr.h"
#include "utils/relcache.h"

#include "distance.h"
#include "kern_simd.h"
#include "kernels.h"

#define FLAT_MAGIC			0x464C4154	/* "FLAT" */
#define FLAT_VERSION		1
#define FLAT_METAPAGE_BLKNO	0
#define FLAT_DISTANCE_PROC	1		/* support function 1: the operator's function */

/* page special space: which kind of page this is */
typedef struct FlatPageOpaque
{
	uint16		page_id;		/* FLAT_PAGE_ID */
	uint16		kind;			/* FLAT_KIND_META or FLAT_KIND_DATA */
	uint32		unused;
} FlatPageOpaque;

#define FLAT_PAGE_ID		0xF1A7
#define FLAT_KIND_META		1
#define FLAT_KIND_DATA		2

#define FLAT_PAGE_DATA_START	MAXALIGN(SizeOfPageHeaderData)
#define FLAT_PAGE_DATA		(BLCKSZ - FLAT_PAGE_DATA_START - MAXALIGN(sizeof(FlatPageOpaque)))

/*
 * The most pages one record may touch.  A writer holds all of them (and the
 * metapage) locked at once, so this stays well below MAX_SIMUL_LWLOCKS
 * (200); 64 pages allow 128,518 float32 or 64,259 float64 elements.
 */
#define FLAT_MAX_SPAN_PAGES	64
#define FLAT_MAX_RECSIZE	((FLAT_MAX_SPAN_PAGES - 1) * FLAT_PAGE_DATA)

/* record flags */
#define FLAT_DEAD			0x0001	/* removed by VACUUM; the slot may be reused */

typedef struct FlatRecordHeader
{
	ItemPointerData tid;		/* 6 bytes */
	uint16		flags;
} FlatRecordHeader;

/* the metapage contents (never change the meaning of a field: on-disk) */
typedef struct FlatMeta
{
	uint32		magic;
	uint32		version;
	int32		dtype;			/* DTX_INVALID until the first non-NULL row */
	int32		dim;			/* 0 until the first non-NULL row */
	uint32		recsize;		/* bytes per record, 0 until dim is known */
	uint32		unused;			/* reserved, zero */
	uint64		nslots;			/* slots in the stream, dead ones included */
	uint64		nfree;			/* dead slots below nslots */
	uint64		freehint;		/* no dead slot below this one */
} FlatMeta;

/* which operator the index answers (from its support function) */
typedef enum FlatMetric
{
	FLAT_METRIC_IP,				/* <#>: -dot */
	FLAT_METRIC_COSINE			/* <=>: 1 - cosine_similarity */
} FlatMetric;

static inline uint32
FlatRecordSize(int dtype, int dim)
{
	return (uint32) TYPEALIGN(8, sizeof(FlatRecordHeader) + (Size) dim * dtx_elem_size(dtype));
}

/* where slot i starts: data block and byte offset in its data area */
static inline void
FlatSlotPosition(uint32 recsize, uint64 slot, BlockNumber *blkno, uint32 *off)
{
	uint64		pos = slot * recsize;

	*blkno = (BlockNumber) (1 + pos / FLAT_PAGE_DATA);
	*off = (uint32) (pos % FLAT_PAGE_DATA);
}

/* slots whose header lies on data block b: [*first, *end) */
static inline void
FlatBlockSlots(uint32 recsize, uint64 nslots, BlockNumber b, uint64 *first, uint64 *end)
{
	uint64		pagestart = (uint64) (b - 1) * FLAT_PAGE_DATA;

	*first = (pagestart + recsize - 1) / recsize;
	*end = (pagestart + FLAT_PAGE_DATA + recsize - 1) / recsize;
	if (*end > nslots)
		*end = nslots;
}

/* data blocks that nslots records occupy */
static inline BlockNumber
FlatDataBlocks(uint32 recsize, uint64 nslots)
{
	uint64		bytes = nslots * recsize;

	return (BlockNumber) ((bytes + FLAT_PAGE_DATA - 1) / FLAT_PAGE_DATA);
}

/* pages the record at data offset off of its first page touches */
static inline int
FlatRecordPages(uint32 recsize, uint32 off)
{
	return (int) (((uint64) off + recsize + FLAT_PAGE_DATA - 1) / FLAT_PAGE_DATA);
}

/*
 * The part of a record (at data offset off of its first page) on its k-th
 * page: *pageoff in that page's data area, *recoff in the record; returns
 * its length.
 */
static inline uint32
FlatRecordChunk(uint32 recsize, uint32 off, int k, uint32 *pageoff, uint32 *recoff)
{
	*recoff = k == 0 ? 0 : (FLAT_PAGE_DATA - off) + (uint32) (k - 1) * FLAT_PAGE_DATA;
	*pageoff = k == 0 ? off : 0;
	return Min(recsize - *recoff, FLAT_PAGE_DATA - *pageoff);
}

static inline char *
FlatPageData(Page page)
{
	return (char *) page + FLAT_PAGE_DATA_START;
}

static inline FlatMeta *
FlatPageGetMeta(Page page)
{
	return (FlatMeta *) FlatPageData(page);
}

/* sort key of a heap TID: smaller key, smaller ctid */
static inline int64
FlatTidKey(const ItemPointerData *tid)
{
	return ((int64) ItemPointerGetBlockNumberNoCheck(tid) << 16) |
		ItemPointerGetOffsetNumberNoCheck(tid);
}

static inline void
FlatTidFromKey(int64 key, ItemPointerData *tid)
{
	ItemPointerSet(tid, (BlockNumber) (key >> 16), (OffsetNumber) (key & 0xFFFF));
}

/*
 * The distance the operator gives, bit for bit: tensor_negative_dot and
 * tensor_cosine_distance (src/tensor_distance.c) rank a row against their
 * query with dtx_row_metric of the chosen loops (the float32 path through a
 * widened query gives the same bits), -dot for <#> and 1 - the clamped
 * cosine for <=>, with the column's value first.  simd is dtx_simd().
 */
static inline double
FlatDistance(const DtxSimd *simd, FlatMetric metric, int dtype, const void *vec,
			 const void *q, int64 dim)
{
	if (metric == FLAT_METRIC_IP)
		return -dtx_row_metric(simd, DTX_METRIC_DOT, dtype, vec, q, dim);
	return 1.0 - dtx_row_metric(simd, DTX_METRIC_COSINE, dtype, vec, q, dim);
}

/* flat.c */
extern void FlatInitPage(Page page, uint16 kind);
extern void FlatReadMeta(Relation index, FlatMeta *meta);
extern FlatMetric FlatGetMetric(Relation index);
struct Tensor;
extern void FlatCheckVector(Relation index, const FlatMeta *meta, int dtype, int ndim,
							const int32 *dims, const char *what);

/* flat_build.c */
extern IndexBuildResult *flatbuild(Relation heap, Relation index, IndexInfo *indexInfo);
extern void flatbuildempty(Relation index);
extern bool flatinsert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
					   Relation heap, IndexUniqueCheck checkUnique, bool indexUnchanged,
					   IndexInfo *indexInfo);

/* flat_scan.c */
extern IndexScanDesc flatbeginscan(Relation index, int nkeys, int norderbys);
extern void flatrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys);
extern bool flatgettuple(IndexScanDesc scan, ScanDirection dir);
extern void flatendscan(IndexScanDesc scan);

/*
 * flat_read.c: one pass over the record stream.  The callback gets each
 * live record with its vector (in place in the page, or copied when it
 * spans pages), under the page's share lock; page_done, if set, runs
 * after each page with no lock held (for longer work), followed by
 * CHECK_FOR_INTERRUPTS.
 */
typedef void (*FlatRecordCallback) (const FlatRecordHeader *hdr, const void *vec, void *arg);
extern void FlatReadStream(Relation index, const FlatMeta *meta,
						   FlatRecordCallback cb, void (*page_done) (void *arg), void *arg);

/* flat_vacuum.c */
extern IndexBulkDeleteResult *flatbulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
											 IndexBulkDeleteCallback callback, void *callback_state);
extern IndexBulkDeleteResult *flatvacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats);

#endif
